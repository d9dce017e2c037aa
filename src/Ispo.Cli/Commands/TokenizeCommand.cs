// `ispo tokenize --model DIR (--text T | --chat FILE)`: the ids and tokens Ispo gives a text or a chat prompt (and
// the rendered prompt), to check a tokenizer and chat template against HF's; --json prints one JSON document.
using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ispo.Models.Chat;
using Ispo.Models.Tokenization;
using Spectre.Console;

namespace Ispo.Cli.Commands;

public static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory (tokenizer.json, tokenizer_config.json)", Required = true };
        var text = new Option<string>("--text") { Description = "Text, encoded as HF's tokenizer(text): with the special tokens it adds (Llama-3's BOS)" };
        var chat = new Option<string>("--chat") { Description = "JSON file of [{\"role\", \"content\"}] messages, rendered with the generation prompt" };
        var format = new Option<string>("--format") { Description = $"Chat format for --chat ({string.Join(", ", ChatFormats.Names)}); default: detected from the chat template" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("tokenize", "Show the token ids and tokens of a text or a chat prompt.");
        foreach (Option o in new Option[] { model, text, chat, format, json }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            string? plain = parse.GetValue(text), chatFile = parse.GetValue(chat);
            if ((plain is null) == (chatFile is null)) throw new ArgumentException("give exactly one of --text or --chat");
            var tokenizer = ByteLevelBpeTokenizer.Load(parse.GetValue(model)!);
            var result = plain is not null ? OfText(tokenizer, plain) : OfChat(tokenizer, chatFile!, parse.GetValue(format));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(ToJson(tokenizer, result));
            else Show(output, tokenizer, result);
            return 0;
        }));
        return command;
    }

    sealed record Tokenized(string Text, string? Format, IReadOnlyList<ChatMessage>? Messages, int[] Ids);

    static Tokenized OfText(ITokenizer tokenizer, string text) => new(text, null, null, tokenizer.SequenceTemplate.Apply(tokenizer.Encode(text)));

    static Tokenized OfChat(ByteLevelBpeTokenizer tokenizer, string path, string? formatName)
    {
        var messages = ChatMessagesFile.Load(path);
        var format = formatName is null ? ChatFormats.FromTokenizerConfig(tokenizer.Config) : ChatFormats.Get(formatName);
        return new(format.Render(messages), format.Name, messages, format.Encode(tokenizer, messages));
    }

    static void Show(TextWriter output, ITokenizer tokenizer, Tokenized result)
    {
        if (result.Format is { } format)
        {
            output.WriteLine($"rendered prompt ({format}):");
            output.WriteLine(result.Text);
        }
        output.WriteLine($"ids ({result.Ids.Length}): [{string.Join(", ", result.Ids)}]");
        var table = new Table().AddColumns("#", "id", "token", "text");
        for (int i = 0; i < result.Ids.Length; i++)
        {
            int id = result.Ids[i];
            // Text cells are not parsed as markup, so a token such as "[/INST]" prints as it is.
            table.AddRow(new Text($"{i}"), new Text($"{id}"), new Text(tokenizer.IdToToken(id) ?? "?"), new Text(Visible(tokenizer.Decode([id]))));
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Write(table);
    }

    /// <summary>A token's text with control characters and whitespace other than a space written as escapes ("\n", "\u00A0").</summary>
    static string Visible(string text)
    {
        var builder = new StringBuilder();
        foreach (char c in text)
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                ' ' => " ",
                _ when char.IsControl(c) || char.IsWhiteSpace(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return builder.ToString();
    }

    static string ToJson(ITokenizer tokenizer, Tokenized result)
    {
        var document = new
        {
            text = result.Messages is null ? result.Text : null,
            format = result.Format,
            messages = result.Messages?.Select(m => new { role = m.Role, content = m.Content }),
            rendered = result.Messages is null ? null : result.Text,
            ids = result.Ids,
            tokens = result.Ids.Select(id => tokenizer.IdToToken(id)),
            texts = result.Ids.Select(id => tokenizer.Decode([id])),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
