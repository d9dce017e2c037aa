// A Hugging Face Hub repository: its id ("owner/name"), kind (model or dataset) and revision.
namespace Ispo.Training.Hub;

public enum HubRepoType { Model, Dataset }

public sealed record HubRepo(string Id, HubRepoType Type = HubRepoType.Model, string Revision = "main")
{
    public string Id { get; } = ValidId(Id);

    /// <summary>"models" or "datasets", as in the Hub's API paths and in the cache layout.</summary>
    public string Kind => Type == HubRepoType.Model ? "models" : "datasets";

    /// <summary>The prefix of resolve URLs: "" for models, "datasets/" for datasets.</summary>
    public string ResolvePrefix => Type == HubRepoType.Model ? "" : "datasets/";

    public override string ToString() => Type == HubRepoType.Model ? Id : $"dataset {Id}";

    static string ValidId(string id)
    {
        string[] parts = id.Split('/');
        bool ok = parts.Length is 1 or 2 && parts.All(p => p.Length > 0 && p != "." && p != ".."
            && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
        return ok ? id : throw new ArgumentException($"'{id}' is not a Hub repository id (expected owner/name)");
    }
}
