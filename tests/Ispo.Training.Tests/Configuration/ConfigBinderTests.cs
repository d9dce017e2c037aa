using Ispo.Training.Configuration;

namespace Ispo.Training.Tests.Configuration;

public class ConfigBinderTests
{
    public enum Color { Red, DarkBlue }

    public sealed record Inner : IValidatable
    {
        public double EpsHigh { get; init; } = 0.28;
        public int? Limit { get; init; }
        public IEnumerable<ConfigError> Validate() => Check.All(Check.AtLeast("eps_high", EpsHigh, 0));
    }

    public sealed record Outer
    {
        public string Name { get; init; } = "x";
        public string? Note { get; init; }
        public bool Flag { get; init; }
        public Color Color { get; init; } = Color.Red;
        public IReadOnlyList<int> Tiers { get; init; } = [1, 2];
        public List<string> Words { get; init; } = [];
        public Dictionary<string, double> Weights { get; init; } = [];
        public Inner Inner { get; init; } = new() { EpsHigh = 0.5 };
    }

    public sealed record Positional(int A = 3, string B = "b");

    public sealed record WithRecordList
    {
        public IReadOnlyList<Inner> Items { get; init; } = [];
    }

    [Fact]
    public void RecordsInsideListsAreBoundAndValidated()
    {
        Assert.Equal(0.7, ConfigBinder.Bind<WithRecordList>("items:\n  - {eps_high: 0.7}\n").Items[0].EpsHigh);
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<WithRecordList>("items:\n  - {}\n  - {eps_high: -1}\n", "l.yaml"));
        Assert.Equal("items[1].eps_high: expected a value >= 0, got -1 (l.yaml line 3)", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void EmptyYamlGivesDefaults()
    {
        var o = ConfigBinder.Bind<Outer>("");
        Assert.Equal("x", o.Name);
        Assert.Equal(0.5, o.Inner.EpsHigh);
        Assert.Equal([1, 2], o.Tiers);
    }

    [Fact]
    public void BindsEveryKindOfValue()
    {
        var o = ConfigBinder.Bind<Outer>("""
            name: run7
            note: hello
            flag: true
            color: dark-blue
            tiers: [3, 4, 5]
            words: [a, "b c"]
            weights: {x: 1.5, y: -2}
            inner:
              limit: 12
            """);
        Assert.Equal(("run7", "hello", true, Color.DarkBlue), (o.Name, o.Note, o.Flag, o.Color));
        Assert.Equal([3, 4, 5], o.Tiers);
        Assert.Equal(["a", "b c"], o.Words);
        Assert.Equal(-2.0, o.Weights["y"]);
        Assert.Equal(12, o.Inner.Limit);
        Assert.Equal(0.5, o.Inner.EpsHigh);  // the parent's default for the nested record is kept
    }

    [Fact]
    public void EnumAcceptsSnakeKebabAndPascal()
    {
        foreach (string s in new[] { "dark_blue", "dark-blue", "DarkBlue" })
            Assert.Equal(Color.DarkBlue, ConfigBinder.Bind<Outer>("color: " + s).Color);
    }

    [Fact]
    public void NullClearsNullableValues()
    {
        var o = ConfigBinder.Bind<Outer>("note: hi\ninner: {limit: 3}", overrides: ["note=null", "inner.limit=~"]);
        Assert.Null(o.Note);
        Assert.Null(o.Inner.Limit);
    }

    [Fact]
    public void OverridesWinAndCreateSections()
    {
        var o = ConfigBinder.Bind<Outer>("inner: {eps_high: 0.1}",
            overrides: ["inner.eps_high=0.9", "tiers=[5]", "words=[p, q]", "name=a=b"]);
        Assert.Equal(0.9, o.Inner.EpsHigh);
        Assert.Equal([5], o.Tiers);
        Assert.Equal(["p", "q"], o.Words);
        Assert.Equal("a=b", o.Name);
        Assert.Equal(7, ConfigBinder.Bind<Outer>(null, overrides: ["inner.limit=7"]).Inner.Limit);
    }

    [Fact]
    public void ReportsAllErrorsWithPathsAndLines()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>("""
            name: ok
            flag: maybe
            color: green
            inner:
              eps_high: abc
              bogus: 1
            tiers: [1, two]
            """, "my.yaml"));
        string[] messages = e.Errors.Select(x => x.ToString()).ToArray();
        Assert.Contains("flag: expected true or false, got \"maybe\" (my.yaml line 2)", messages);
        Assert.Contains("color: expected one of red | dark-blue, got \"green\" (my.yaml line 3)", messages);
        Assert.Contains("inner.eps_high: expected a number, got \"abc\" (my.yaml line 5)", messages);
        Assert.Contains(messages, m => m.StartsWith("inner.bogus: unknown key \"bogus\"; expected one of: eps_high, limit", StringComparison.Ordinal) && m.EndsWith("line 6)", StringComparison.Ordinal));
        Assert.Contains("tiers[1]: expected an integer, got \"two\" (my.yaml line 7)", messages);
        Assert.Equal(5, e.Errors.Count);
        Assert.Contains("5 configuration error(s)", e.Message);
    }

    [Fact]
    public void OverrideErrorsNameTheirSource()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>("name: a", "f.yaml", ["inner.eps_high=abc", "nokey", "name.x=1", "inner.bogus=2"]));
        string[] messages = e.Errors.Select(x => x.ToString()).ToArray();
        Assert.Contains(messages, m => m.StartsWith("inner.bogus: unknown key", StringComparison.Ordinal) && m.EndsWith("(--set)", StringComparison.Ordinal));
        Assert.Contains("inner.eps_high: expected a number, got \"abc\" (--set)", messages);
        Assert.Contains("--set expects key.path=value, got \"nokey\" (--set)", messages);
        Assert.Contains("name: is not a section, cannot set a key under it (--set)", messages);
    }

    [Fact]
    public void ValidationErrorsCarryPathAndLine()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>("name: a\ninner:\n  eps_high: -1\n", "f.yaml"));
        Assert.Equal("inner.eps_high: expected a value >= 0, got -1 (f.yaml line 3)", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void ValidationRunsOnDefaultsToo()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>("", overrides: ["inner.eps_high=-2"]));
        Assert.Equal("inner.eps_high: expected a value >= 0, got -2 (--set)", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void InvalidYamlIsReportedWithLine()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>("name: [unclosed\nflag: true\n", "bad.yaml"));
        Assert.StartsWith("invalid YAML", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PositionalRecordsWithDefaultsBind()
    {
        var p = ConfigBinder.Bind<Positional>("a: 9");
        Assert.Equal(new Positional(9, "b"), p);
    }

    [Fact]
    public void DefaultsAreNotMutatedByBinding()
    {
        var first = ConfigBinder.Bind<Outer>("inner: {eps_high: 0.9}");
        var second = ConfigBinder.Bind<Outer>("");
        Assert.Equal(0.9, first.Inner.EpsHigh);
        Assert.Equal(0.5, second.Inner.EpsHigh);
    }

    [Fact]
    public void ADeeplyNestedConfigIsAnErrorNotAStackOverflow()
    {
        string yaml = "name:\n" + string.Concat(Enumerable.Range(0, 100_000).Select(i => new string(' ', 0) + "- ")) + "x\n";
        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>(yaml, "deep.yaml"));
        Assert.Equal("nested more than 64 levels deep", Assert.Single(error.Errors).Message);
        Assert.Equal(2, error.Errors[0].Line);
        var overridden = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<Outer>("", "x", ["tiers=" + new string('[', 100_000)]));
        Assert.Equal("tiers", Assert.Single(overridden.Errors).Path);
    }

    [Fact]
    public void AnEndlessOrHugeConfigFileIsRefusedAfterItsLimit()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Load<Outer>("/dev/zero"));
        Assert.Contains("config file /dev/zero is larger than 1024 KiB", error.Message);
        var directory = Assert.Throws<ConfigException>(() => ConfigBinder.Load<Outer>(Path.GetTempPath()));
        Assert.Contains("config file not found", directory.Message);
    }
}
