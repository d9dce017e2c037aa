"""Cuts a real HF tokenizer.json down to the vocabulary and merges that a few test ids need.

usage: python3 reduce_tokenizer.py FULL/tokenizer.json OUT/tokenizer.json ID|FILE [ID|FILE ...]

A FILE ending in .jsonl gives the ids of each line's "ids" field; one ending in .json (an earlier reduced
tokenizer.json) gives the ids of its model.vocab, so a reduction can grow without dropping what tests used.

Every field but model.vocab and model.merges is kept verbatim (added_tokens, normalizer, pre_tokenizer,
post_processor, decoder). The vocabulary keeps the 256 byte-level symbols, each given token and every token BPE
forms on the way to it; the merges keep those (in their original order, so ranks keep their relative order) whose
two parts and result are all kept. BPE on the reduced file then picks the same merges as on the full one for any
word whose final tokens are all kept: a kept merge is a full-file merge, and each merge BPE applied is kept.
"""
import json
import sys


def byte_symbols():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for c in cs]


def pairs_of(merges):
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in merges]


def formed(token, rank):
    """Tokens BPE forms while merging the symbols of one final token (itself included)."""
    symbols, seen = list(token), {token}
    while len(symbols) > 1:
        best = min(((rank.get((a, b), 1 << 60), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))))
        if best[0] == 1 << 60:
            break
        i = best[1]
        symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        seen.add(symbols[i])
    return seen


def main(full, out, ids):
    t = json.load(open(full, encoding="utf-8"))
    vocab, merges = t["model"]["vocab"], t["model"]["merges"]
    by_id = {v: k for k, v in vocab.items()}
    rank = {p: r for r, p in enumerate(pairs_of(merges))}
    keep = set(byte_symbols())
    for i in ids:
        if i in by_id:
            keep |= formed(by_id[i], rank)
    t["model"]["vocab"] = {k: v for k, v in sorted(vocab.items(), key=lambda kv: kv[1]) if k in keep}
    t["model"]["merges"] = [m for m, (a, b) in zip(merges, pairs_of(merges)) if a in keep and b in keep and a + b in keep]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def ids_of(arg):
    if arg.endswith(".jsonl"):
        with open(arg, encoding="utf-8") as f:
            return [i for line in f if line.strip() for i in json.loads(line)["ids"]]
    if arg.endswith(".json"):
        with open(arg, encoding="utf-8") as f:
            return list(json.load(f)["model"]["vocab"].values())
    return [int(arg)]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [i for arg in sys.argv[3:] for i in ids_of(arg)])
