// A Hugging Face Hub repository: its id ("owner/name"), kind (model or dataset) and revision.
namespace Ispo.Training.Hub;

public enum HubRepoType { Model, Dataset }

public sealed record HubRepo(string Id, HubRepoType Type = HubRepoType.Model, string Revision = "main")
{
    public string Id { get; } = ValidId(Id);
    public string Revision { get; } = ValidRevision(Revision);

    /// <summary>"models" or "datasets", as in the Hub's API paths and in the cache layout.</summary>
    public string Kind => Type == HubRepoType.Model ? "models" : "datasets";

    /// <summary>The prefix of resolve URLs: "" for models, "datasets/" for datasets.</summary>
    public string ResolvePrefix => Type == HubRepoType.Model ? "" : "datasets/";

    public override string ToString() => Type == HubRepoType.Model ? Id : $"dataset {Id}";

    /// <summary>A branch, tag or commit; it names a cache folder, so it may not climb out of it.</summary>
    static string ValidRevision(string revision) =>
        revision.Length > 0 && revision.Split('/').All(p => p.Length > 0 && p != "." && p != "..") && !revision.Contains('\\') && !revision.Contains('\0')
            ? revision
            : throw new ArgumentException($"'{revision}' is not a Hub revision (expected a branch, tag or commit)");

    static string ValidId(string id)
    {
        string[] parts = id.Split('/');
        bool ok = parts.Length is 1 or 2 && parts.All(p => p.Length > 0 && p != "." && p != ".."
            && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
        return ok ? id : throw new ArgumentException($"'{id}' is not a Hub repository id (expected owner/name)");
    }
}
