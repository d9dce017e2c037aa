// The shipped prompt templates, by name: Qwen-Math chain of thought, DAPO's "Answer:" form, and plain.
namespace Ispo.Training.Prompts;

public static class PromptTemplates
{
    public const string QwenMathInstruction = "Please reason step by step, and put your final answer within \\boxed{}.";

    /// <summary>The DAPO-Math-17k prompt wording around each problem.</summary>
    public const string DapoPrefix =
        "Solve the following math problem step by step. The last line of your response should be of the form " +
        "Answer: $Answer (without quotes) where $Answer is the answer to the problem.\n\n";
    public const string DapoSuffix = "\n\nRemember to put your answer on its own line after \"Answer:\".";

    public static readonly PromptTemplate QwenMathCot = new("qwen-math", "", "\n" + QwenMathInstruction, AnswerFormat.Boxed);
    public static readonly PromptTemplate Dapo = new("dapo", DapoPrefix, DapoSuffix, AnswerFormat.AnswerLine);
    public static readonly PromptTemplate Plain = new("plain", "", "", AnswerFormat.Boxed);
    /// <summary>The built-in synthetic task: the problem on one line, the model continues on the next (no chat markup).</summary>
    public static readonly PromptTemplate Synthetic = new("synthetic", "", "\n", AnswerFormat.Boxed, UseChat: false);

    public const string ProblemSlot = "{problem}";

    public static IReadOnlyList<PromptTemplate> All { get; } = [QwenMathCot, Dapo, Plain, Synthetic];

    /// <summary>A template by name ("NAME-raw" renders the same text without the chat format, for base models), or a
    /// custom text with one {problem} slot (its answer is expected in \boxed{}).</summary>
    public static PromptTemplate Get(string name)
    {
        int slot = name.IndexOf(ProblemSlot, StringComparison.Ordinal);
        if (slot >= 0)
            return new PromptTemplate("custom", name[..slot], name[(slot + ProblemSlot.Length)..], AnswerFormat.Boxed);
        bool raw = name.EndsWith("-raw", StringComparison.Ordinal);
        string baseName = raw ? name[..^4] : name;
        PromptTemplate template = All.FirstOrDefault(t => t.Name == baseName)
            ?? throw new ArgumentException(
                $"unknown prompt template '{name}'; known: {string.Join(", ", All.Select(t => t.Name))} (add -raw for base models), or a text containing {{problem}}");
        return raw ? template with { UseChat = false } : template;
    }
}
