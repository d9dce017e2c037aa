// `ispo model init --preset NAME --out DIR`: a randomly initialised model with the character-level tokenizer.
using System.CommandLine;
using Ispo.Models.Config;
using Ispo.Models.Pretrained;
using Ispo.Training.Runs;

namespace Ispo.Cli.Commands;

public static class ModelInitCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = $"Starting dims: {string.Join(", ", ModelInit.PresetNames)}", DefaultValueFactory = _ => "tiny" };
        var output = new Option<string>("--out") { Description = "Directory to write", Required = true };
        var seed = new Option<long>("--seed") { Description = "Initialisation seed", DefaultValueFactory = _ => 0 };
        var arch = new Option<string?>("--arch") { Description = "llama or qwen2 (overrides the preset)" };
        var hidden = new Option<int?>("--hidden") { Description = "hidden_size" };
        var layers = new Option<int?>("--layers") { Description = "num_hidden_layers" };
        var heads = new Option<int?>("--heads") { Description = "num_attention_heads" };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "num_key_value_heads" };
        var headDim = new Option<int?>("--head-dim") { Description = "head_dim (default hidden/heads when --hidden or --heads is given)" };
        var intermediate = new Option<int?>("--intermediate") { Description = "intermediate_size (SwiGLU)" };
        var maxPositions = new Option<int?>("--max-positions") { Description = "max_position_embeddings" };
        var command = new Command("init", "Write a randomly initialised model (config.json, model.safetensors, tokenizer files).");
        foreach (Option o in new Option[] { preset, output, seed, arch, hidden, layers, heads, kvHeads, headDim, intermediate, maxPositions })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            ModelConfig c = ModelInit.Preset(parse.GetValue(preset)!);
            c = c with
            {
                Architecture = parse.GetValue(arch) switch
                {
                    null => c.Architecture,
                    "llama" => Architecture.Llama,
                    "qwen2" => Architecture.Qwen2,
                    var other => throw new ArgumentException($"--arch must be llama or qwen2 (got '{other}')"),
                },
                HiddenSize = parse.GetValue(hidden) ?? c.HiddenSize,
                NumHiddenLayers = parse.GetValue(layers) ?? c.NumHiddenLayers,
                NumAttentionHeads = parse.GetValue(heads) ?? c.NumAttentionHeads,
                IntermediateSize = parse.GetValue(intermediate) ?? c.IntermediateSize,
                MaxPositionEmbeddings = parse.GetValue(maxPositions) ?? c.MaxPositionEmbeddings,
            };
            bool dimsChanged = parse.GetValue(hidden) is not null || parse.GetValue(heads) is not null;
            c = c with
            {
                NumKeyValueHeads = parse.GetValue(kvHeads) ?? (dimsChanged ? c.NumAttentionHeads : c.NumKeyValueHeads),
                HeadDim = parse.GetValue(headDim) ?? (dimsChanged && c.NumAttentionHeads > 0 ? c.HiddenSize / c.NumAttentionHeads : c.HeadDim),
            };
            string dir = parse.GetValue(output)!;
            ModelConfig valid = c.Validate("model init");
            ModelOutput.Publish(dir, d => ModelInit.Create(valid, d, parse.GetValue(seed)));
            parse.InvocationConfiguration.Output.WriteLine(
                $"wrote a {c.ParameterCount() / 1e6:F2}M-parameter {c.Architecture} model ({c.NumHiddenLayers} layers, hidden {c.HiddenSize}) to {dir}");
            return 0;
        }));
        return command;
    }
}
