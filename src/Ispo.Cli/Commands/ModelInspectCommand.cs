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
            o.WriteLine($"weights:        {DescribeWeights(path)}");
            o.WriteLine($"tokenizer:      {DescribeTokenizer(path)}");
            return 0;
        }));
        return command;
    }

    /// <summary>What the safetensors headers say (every tensor inside its file), without reading a weight.</summary>
    static string DescribeWeights(string dir)
    {
        if (!CheckpointFiles.Exists(dir)) return "missing";
        try
        {
            using CheckpointReader reader = CheckpointReader.Open(dir);
            return $"{reader.Names.Count} tensors in {reader.Files.Count} file(s), {reader.Files.Sum(f => new FileInfo(f.Path).Length) / 1e6:F1} MB";
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            return $"unreadable: {e.Message}";
        }
    }

    static string DescribeTokenizer(string dir)
    {
        if (!File.Exists(Path.Combine(dir, ByteLevelBpeTokenizer.FileName))) return "missing";
        var t = ByteLevelBpeTokenizer.Load(dir);
        string Name(int? id) => id is { } i ? t.IdToToken(i) ?? i.ToString() : "none";
        return $"byte-level BPE, {t.VocabSize} tokens, eos {Name(t.EosId)}, pad {Name(t.PadId)}, bos {Name(t.BosId)}";
    }
}
