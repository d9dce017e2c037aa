// One supervised example: prompt tokens (no loss) followed by target tokens (loss), EOS included in the target.
namespace Ispo.Training.Sft;

public sealed record SftExample(int[] Prompt, int[] Target);
