// A key a record no longer has, with what to write instead: the binder reports it in place of "unknown key", so an
// old recipe fails with the fix in the message.
namespace Ispo.Training.Configuration;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RetiredKeyAttribute(string key, string instead) : Attribute
{
    public string Key { get; } = key;
    public string Instead { get; } = instead;
}
