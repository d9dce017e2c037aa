// A reward function for RL: scores one completion against its gold answer; null means "not applicable".
namespace Ispo.MathVerify.Rewards;

public interface IRewardFunction
{
    /// <summary>Name used in metrics (`rewards/&lt;name&gt;/mean`).</summary>
    string Name { get; }

    /// <summary>The score, or null when this function does not apply to the example (e.g. no gold answer).</summary>
    double? Score(string completion, string gold, IReadOnlyDictionary<string, string>? metadata);
}
