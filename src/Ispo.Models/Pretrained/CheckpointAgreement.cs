// Compares config.json's sizes with the checkpoint's tensor shapes before the model is built: a config that disagrees
// with its weights (1e9 layers, a vocabulary near 2^31) is then an error naming the field instead of an allocation of
// whatever the config asks for. Once these agree, the model built from the config is about as large as the checkpoint.
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;

namespace Ispo.Models.Pretrained;

internal static class CheckpointAgreement
{
    public static void Check(ModelConfig c, string configPath, CheckpointReader checkpoint)
    {
        var hidden = ("'hidden_size'", (long)c.HiddenSize);
        var vocab = ("'vocab_size'", (long)c.VocabSize);
        Expect("model.embed_tokens.weight", vocab, hidden);
        if (!c.TieWordEmbeddings) Expect("lm_head.weight", vocab, hidden);
        CheckLayerCount(c.NumHiddenLayers, configPath, checkpoint);
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            Expect($"model.layers.{i}.self_attn.q_proj.weight", ("'num_attention_heads' × 'head_dim'", (long)c.NumAttentionHeads * c.HeadDim), hidden);
            Expect($"model.layers.{i}.self_attn.k_proj.weight", ("'num_key_value_heads' × 'head_dim'", (long)c.NumKeyValueHeads * c.HeadDim), hidden);
            Expect($"model.layers.{i}.mlp.gate_proj.weight", ("'intermediate_size'", (long)c.IntermediateSize), hidden);
        }

        void Expect(string tensor, (string Fields, long Size) rows, (string Fields, long Size) columns)
        {
            if (!checkpoint.Names.Contains(tensor))
                throw new InvalidDataException($"{checkpoint.Directory}: checkpoint has no tensor '{tensor}', which the model of {configPath} needs");
            long[] shape = checkpoint.Entry(tensor).Shape;
            var dims = new[] { rows, columns };
            var wrong = shape.Length != 2 ? dims : dims.Where((dim, axis) => shape[axis] != dim.Size).ToArray();
            if (wrong.Length == 0) return;
            string sizes = string.Join(" and ", wrong.Select(w => $"{w.Fields} = {w.Size}"));
            throw new InvalidDataException(
                $"{configPath}: {sizes} disagree with the checkpoint, whose '{tensor}' is [{string.Join(",", shape)}] (expected [{rows.Size},{columns.Size}])");
        }
    }

    /// <summary>The checkpoint's layers must be exactly model.layers.0 … model.layers.{L−1}.</summary>
    static void CheckLayerCount(int layers, string configPath, CheckpointReader checkpoint)
    {
        const string prefix = "model.layers.";
        int stored = checkpoint.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => int.TryParse(n.AsSpan(prefix.Length, Math.Max(0, n.IndexOf('.', prefix.Length) - prefix.Length)), out int i) ? i + 1 : 0)
            .DefaultIfEmpty(0).Max();
        if (stored != layers)
            throw new InvalidDataException($"{configPath}: field 'num_hidden_layers' is {layers} but the checkpoint in {checkpoint.Directory} holds {stored} layers");
    }
}
