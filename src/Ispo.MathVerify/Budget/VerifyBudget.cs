// A cooperative work budget for one verification: a step count and a Stopwatch deadline, checked by the parser
// and evaluator loops, plus structural guards (input length, nesting depth, size of exact numbers).
using System.Diagnostics;

namespace Ispo.MathVerify;

public sealed class VerifyBudget
{
    const int TimeCheckInterval = 256; // Stopwatch reads are cheap but not free; check the clock every N steps

    readonly long maxSteps;
    readonly long deadline; // Stopwatch ticks
    long steps;

    public VerifyBudget(int maxSteps, TimeSpan maxTime)
    {
        if (maxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "expected a positive step count");
        if (maxTime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxTime), maxTime, "expected a positive time");
        this.maxSteps = maxSteps;
        double ticks = maxTime.TotalSeconds * Stopwatch.Frequency;
        long now = Stopwatch.GetTimestamp();
        deadline = ticks >= long.MaxValue - (double)now ? long.MaxValue : now + (long)ticks; // TimeSpan.MaxValue = no deadline
    }

    /// <summary>200,000 steps or 250 ms, whichever comes first; a typical verification uses a few hundred steps.</summary>
    public static VerifyBudget Default() => new(200_000, TimeSpan.FromMilliseconds(250));

    /// <summary>Longest input (characters) the parser accepts.</summary>
    public int MaxInputLength { get; init; } = 20_000;

    /// <summary>Deepest nesting of groups/operators the parser and evaluator accept (keeps recursion off the stack limit).</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>Largest exact integer (bits, numerator or denominator) an exact power or factorial may produce.</summary>
    public int MaxExactBits { get; init; } = 200_000;

    public long StepsUsed => steps;

    /// <summary>Consumes <paramref name="count"/> steps; throws <see cref="BudgetExceededException"/> when the budget is spent.</summary>
    public void Step(long count = 1)
    {
        steps += count;
        if (steps > maxSteps) throw new BudgetExceededException($"step budget of {maxSteps} exceeded");
        if ((steps & (TimeCheckInterval - 1)) < count && Stopwatch.GetTimestamp() > deadline)
            throw new BudgetExceededException("time budget exceeded");
    }

    internal void CheckDepth(int depth)
    {
        if (depth > MaxDepth) throw new BudgetExceededException($"nesting deeper than {MaxDepth}");
    }

    internal void CheckLength(int length)
    {
        if (length > MaxInputLength) throw new BudgetExceededException($"input of {length} characters exceeds {MaxInputLength}");
    }

    internal void CheckBits(long bits)
    {
        if (bits > MaxExactBits) throw new BudgetExceededException($"exact value of ~{bits} bits exceeds {MaxExactBits}");
    }
}
