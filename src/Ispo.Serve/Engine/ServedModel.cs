// The model being served: the loaded folder and the chat format its tokenizer_config names. A weight reload
// replaces it whole, so a request always sees one consistent model, tokenizer and format.
using Ispo.Models.Chat;
using Ispo.Models.Pretrained;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Engine;

internal sealed class ServedModel(PolicyModel policy, IChatFormat chat) : IDisposable
{
    public PolicyModel Policy { get; } = policy;
    public IChatFormat Chat { get; } = chat;
    public ITokenizer Tokenizer => Policy.Tokenizer;
    public int MaxPositions => Policy.Config.MaxPositionEmbeddings;

    public static ServedModel Load(string dir)
    {
        var policy = PolicyModel.LoadPretrained(dir);
        return new ServedModel(policy, ChatOf(policy.Tokenizer));
    }

    /// <summary>As `ispo train` renders chat prompts (TaskFormat.AutoChat): the tokenizer_config's template, else raw.</summary>
    static IChatFormat ChatOf(ITokenizer tokenizer) =>
        tokenizer is ByteLevelBpeTokenizer bpe ? ChatFormats.FromTokenizerConfig(bpe.Config) : new RawFormat();

    public void Dispose() => Policy.Dispose();
}
