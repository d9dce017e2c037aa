// The model dims a plan needs, without loading weights: model.path's config.json (a folder holding only that file
// is enough) or model.preset's dims.
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Dims = Ispo.Models.Config.ModelConfig;

namespace Ispo.Training.Planning;

public static class PlanModel
{
    public static Dims Read(TrainConfig config)
    {
        if (config.Model.Path is { } path)
        {
            string file = Path.Combine(path, ModelInit.ConfigFileName);
            if (!File.Exists(file))
                throw new FileNotFoundException($"model.path {path}: no {ModelInit.ConfigFileName} there; the plan reads only that file "
                    + "(a Hub name is downloaded by `ispo model download` or `ispo train`, not by `ispo plan`)");
            return Dims.Load(file).Validate(file);
        }
        return ModelInit.Preset(config.Model.Preset!);
    }

    /// <summary>The plan of <paramref name="config"/>: dims from <see cref="Read(TrainConfig)"/>, prompts of
    /// <paramref name="promptTokens"/> tokens (default: the longest the model's positions allow).</summary>
    public static MemoryPlan Plan(TrainConfig config, long? budget, int? promptTokens = null) =>
        MemoryPlanner.Plan(PlanInputs.From(config, Read(config), promptTokens, budget));
}
