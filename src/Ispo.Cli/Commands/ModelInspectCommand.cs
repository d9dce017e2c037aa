// `ispo model inspect DIR`: architecture, dims, parameter count, dtype and tokenizer of a model directory.
using System.CommandLine;
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;
using Ispo.Models.Pretrained;
using Ispo.Models.Tokenization;

namespace Ispo.Cli.Commands;

public static class ModelInspectCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Model directory (Hugging Face layout)" };
        var command = new Command("inspect", "Describe a model directory without loading its weights.");
        command.Arguments.Add(dir);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            string path = parse.GetValue(dir)!;
            var c = ModelConfig.Load(Path.Combine(path, ModelInit.ConfigFileName));
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"architecture:   {c.Architecture} ({(c.AttentionBias ? "q/k/v bias" : "no attention bias")})");
            o.WriteLine($"dims:           hidden {c.HiddenSize}, {c.NumHiddenLayers} layers, {c.NumAttentionHeads} heads ({c.NumKeyValueHeads} kv), head_dim {c.HeadDim}, intermediate {c.IntermediateSize}");
            o.WriteLine($"vocab:          {c.VocabSize}{(c.TieWordEmbeddings ? ", tied embeddings" : "")}");
            o.WriteLine($"positions:      {c.MaxPositionEmbeddings}, rope_theta {c.RopeTheta}{(c.RopeScaling is { } s ? $", llama3 scaling x{s.Factor}" : "")}");
            o.WriteLine($"parameters:     {c.ParameterCount():N0} ({c.ParameterCount() / 1e6:F2}M)");
            o.WriteLine($"dtype:          {c.TorchDtype}");
            o.WriteLine($"weights:        {(CheckpointFiles.Exists(path) ? "present" : "missing")}");
            o.WriteLine($"tokenizer:      {DescribeTokenizer(path)}");
            return 0;
        }));
        return command;
    }

    static string DescribeTokenizer(string dir)
    {
        if (!File.Exists(Path.Combine(dir, ByteLevelBpeTokenizer.FileName))) return "missing";
        var t = ByteLevelBpeTokenizer.Load(dir);
        string Name(int? id) => id is { } i ? t.IdToToken(i) ?? i.ToString() : "none";
        return $"byte-level BPE, {t.VocabSize} tokens, eos {Name(t.EosId)}, pad {Name(t.PadId)}, bos {Name(t.BosId)}";
    }
}
