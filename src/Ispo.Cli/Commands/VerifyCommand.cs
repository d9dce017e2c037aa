// `ispo verify`: one pair (--pred/--gold) or a JSONL file of pairs (--input/--output), verified in parallel.
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ispo.MathVerify;
using Ispo.Models.Checkpoints;

namespace Ispo.Cli.Commands;

public static class VerifyCommand
{
    const int ChunkSize = 256;

    public static Command Create()
    {
        var pred = new Option<string?>("--pred") { Description = "Model output to grade (the final answer is extracted from it)." };
        var gold = new Option<string?>("--gold") { Description = "Gold answer (a \\boxed{} or $…$ in it is unwrapped)." };
        var question = new Option<string?>("--question") { Description = "The problem: an answer that only restates one of its expressions gets no credit." };
        var json = new Option<bool>("--json") { Description = "Print the single result as JSON." };
        var input = new Option<FileInfo?>("--input")
        {
            Description = "JSONL of {\"id\", \"pred\", \"gold\"} per line, optionally the problem as \"problem\" or \"question\".",
        };
        var output = new Option<FileInfo?>("--output") { Description = "JSONL of {\"id\", \"equal\", \"reason\", \"extracted\"}, in input order." };
        var mode = new Option<ExtractionMode>("--mode")
        {
            Description = "Extraction: Strict (answer markers only, as RL rewards) or Evaluation (also the last math span / number).",
            DefaultValueFactory = _ => ExtractionMode.Evaluation,
        };
        var command = new Command("verify", "Check whether model answers equal gold answers.");
        foreach (Option option in (Option[])[pred, gold, question, json, input, output, mode]) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var options = new VerifyOptions { Mode = parse.GetValue(mode) };
            var (stdout, stderr) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            if (parse.GetValue(input) is { } inputFile && parse.GetValue(output) is { } outputFile)
                return VerifyFile(inputFile.FullName, outputFile.FullName, options, stdout, stderr);
            if (parse.GetValue(pred) is { } predText && parse.GetValue(gold) is { } goldText)
                return VerifyPair(predText, goldText, parse.GetValue(question), parse.GetValue(json), options, stdout);
            stderr.WriteLine("ispo verify: give --pred and --gold, or --input and --output");
            return 2;
        });
        return command;
    }

    static int VerifyPair(string pred, string gold, string? question, bool json, VerifyOptions options, TextWriter stdout)
    {
        VerifyResult result = MathVerifier.Verify(pred, gold, options, question);
        stdout.WriteLine(json
            ? ResultJson(null, result.Equal, result.Reason.ToName(), result.Extracted, withId: false)
            : $"{result.Reason.ToName()} (extracted: {result.Extracted ?? "none"})");
        return 0;
    }

    /// <summary>Verifies every line, all cores over chunks; bad lines get reason bad_input and a stderr note.</summary>
    static int VerifyFile(string inputPath, string outputPath, VerifyOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(inputPath))
        {
            stderr.WriteLine($"ispo verify: input file {inputPath} does not exist");
            return 2;
        }
        string[] lines = File.ReadAllLines(inputPath);
        var results = new string?[lines.Length];
        var errors = new string?[lines.Length];
        int chunks = (lines.Length + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, chunk =>
        {
            for (int i = chunk * ChunkSize; i < Math.Min(lines.Length, (chunk + 1) * ChunkSize); i++)
                results[i] = VerifyLine(lines[i], i + 1, options, out errors[i]);
        });
        foreach (string? error in errors)
            if (error is not null) stderr.WriteLine(error);
        WriteAtomically(outputPath, results);
        int written = results.Count(r => r is not null), bad = errors.Count(e => e is not null);
        stdout.WriteLine($"verified {written} lines ({bad} bad input) → {outputPath}");
        return 0;
    }

    // One output line for an input line (null for a blank line); `error` names the line when it is malformed.
    static string? VerifyLine(string line, int lineNumber, VerifyOptions options, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(line)) return null;
        string? id = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement row = document.RootElement;
            if (row.ValueKind != JsonValueKind.Object) throw new FormatException("expected a JSON object");
            id = row.TryGetProperty("id", out JsonElement idValue) ? idValue.GetRawText() : null;
            VerifyResult result = MathVerifier.Verify(Field(row, "pred"), Field(row, "gold"), options, Question(row));
            return ResultJson(id, result.Equal, result.Reason.ToName(), result.Extracted);
        }
        // A lone surrogate ("\ud800") parses as JSON but cannot become a .NET string (InvalidOperationException)
        // or be written back (ArgumentException): that line is bad, the batch goes on.
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            error = $"line {lineNumber}: {e.Message}";
            return ResultJson(id, false, "bad_input", null);
        }
    }

    // The problem under the name Math-Verify / TRL datasets use ("problem": MATH, NuminaMath) or GSM8K's ("question").
    static string? Question(JsonElement row) =>
        row.TryGetProperty("problem", out _) ? Field(row, "problem")
        : row.TryGetProperty("question", out _) ? Field(row, "question")
        : null;

    static string Field(JsonElement row, string name) =>
        row.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"expected a string field \"{name}\"");

    static string ResultJson(string? rawId, bool equal, string reason, string? extracted, bool withId = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (withId)
            {
                writer.WritePropertyName("id");
                writer.WriteRawValue(rawId ?? "null");
            }
            writer.WriteBoolean("equal", equal);
            writer.WriteString("reason", reason);
            writer.WriteString("extracted", extracted);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // AtomicFile's temp file has a unique name and is created exclusively, so a file or symlink planted at a
    // guessable "<output>.tmp" is never written through.
    static void WriteAtomically(string path, IEnumerable<string?> lines) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
            foreach (string? line in lines)
                if (line is not null) writer.Write(line + "\n");
        });
}
