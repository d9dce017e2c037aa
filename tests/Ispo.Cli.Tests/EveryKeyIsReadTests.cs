using System.Reflection;
using System.Reflection.Emit;
using Ispo.Algorithms;
using Ispo.Training.Configuration;

namespace Ispo.Cli.Tests;

/// <summary>Nothing in a recipe is silently ignored: every key of every configuration record (the recipe's sections
/// and every registered component's options) binds, and its getter is called by code outside the record's own
/// checks and compiler-made members, found by reading the IL of the shipped assemblies.</summary>
public class EveryKeyIsReadTests
{
    static readonly Assembly[] Shipped = [typeof(TrainConfig).Assembly, typeof(AlgorithmRegistry).Assembly, typeof(IspoCli).Assembly];

    [Fact]
    public void EveryKeyOfEveryRecordBindsAndIsRead()
    {
        List<Type> records = Records(typeof(TrainConfig)).ToList();
        foreach (ComponentDescription c in AlgorithmRegistry.Describe().Where(d => Shipped.Contains(d.OptionsType.Assembly)))
        {
            records.Add(c.OptionsType);
            string options = ConfigYaml.Serialize(Activator.CreateInstance(c.OptionsType)!).Trim();   // every key, as a recipe writes it
            Type slot = typeof(Slot<>).MakeGenericType(Interfaces[c.Kind]);
            string yaml = $"choice: {{name: {c.Name}{(options == "{}" ? "" : ", " + Flow(options))}}}\n";
            var bound = (IComponentChoice)slot.GetProperty("Choice")!.GetValue(ConfigBinder.Bind(slot, yaml))!;
            Assert.Equal(Activator.CreateInstance(c.OptionsType), bound.Options);
        }
        Assert.Equal(new TrainConfig().ToYaml(), ConfigBinder.Bind<TrainConfig>(new TrainConfig().ToYaml()).ToYaml());
        string[] unread = Unread(records.Distinct(), Shipped).ToArray();
        Assert.True(unread.Length == 0, "keys nothing reads: " + string.Join(", ", unread));
    }

    [Fact]
    public void TheCheckFindsAKeyNothingReads()
    {
        Assert.Equal(["Probe.Unread"], Unread([typeof(Probe)], [typeof(EveryKeyIsReadTests).Assembly]));
    }

    public sealed record Probe : IValidatable
    {
        public int Read { get; init; }
        public int Unread { get; init; }
        public IEnumerable<ConfigError> Validate() => Check.All(Check.AtLeast("unread", Unread, 0));   // checking is not reading
    }

    static int ReadsTheProbe(Probe p) => p.Read;

    sealed record Slot<T> where T : class, IAlgorithmComponent
    {
        public ComponentChoice<T>? Choice { get; init; }
    }

    static readonly Dictionary<ComponentKind, Type> Interfaces = new()
    {
        [ComponentKind.Advantage] = typeof(IAdvantageEstimator), [ComponentKind.Loss] = typeof(IPolicyLoss),
        [ComponentKind.RewardShaper] = typeof(IRewardShaper), [ComponentKind.GroupFilter] = typeof(IGroupFilter),
    };

    static string Flow(string yaml) => string.Join(", ", yaml.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The record types reachable from <paramref name="root"/> through its keys (lists, nullables, nested records).</summary>
    static IEnumerable<Type> Records(Type root)
    {
        yield return root;
        foreach (PropertyInfo p in ConfigNaming.Keys(root))
        {
            Type t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) t = t.GetGenericArguments()[0];
            if (t == typeof(string) || t.IsPrimitive || t.IsEnum || typeof(IComponentChoice).IsAssignableFrom(t)) continue;
            foreach (Type inner in Records(t)) yield return inner;
        }
    }

    /// <summary>"Type.Key" for each key whose getter no method of <paramref name="assemblies"/> calls, leaving out
    /// Validate (a check is not a use) and the members the compiler writes for records.</summary>
    static IEnumerable<string> Unread(IEnumerable<Type> records, Assembly[] assemblies)
    {
        var keys = records.SelectMany(r => ConfigNaming.Keys(r)).ToList();   // an inherited key is read through its base's getter
        var read = new HashSet<(Module, int)>();
        foreach (MethodBase method in assemblies.SelectMany(a => a.GetTypes()).SelectMany(Methods).Where(m => !Excluded(m)))
            foreach (MethodBase called in Calls(method))
                read.Add((called.Module, called.MetadataToken));
        return keys.Where(p => !read.Contains((p.GetMethod!.Module, p.GetMethod.MetadataToken)))
                   .Select(p => $"{p.ReflectedType!.Name}.{p.Name}").Distinct().Order();
    }

    static readonly string[] Generated = ["Equals", "GetHashCode", "PrintMembers", "ToString", "<Clone>$", "Deconstruct", "get_EqualityContract"];

    static bool Excluded(MethodBase m) => m.Name == "Validate" || m.Name.Contains("<Validate>", StringComparison.Ordinal)
        || (Generated.Contains(m.Name) && m.DeclaringType?.GetMethod("<Clone>$") is not null);

    static IEnumerable<MethodBase> Methods(Type t) =>
        t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Cast<MethodBase>()
         .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The methods <paramref name="method"/> calls or takes the address of, walking its IL opcode by opcode.</summary>
    static IEnumerable<MethodBase> Calls(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            OpCode op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? called = null;
                try { called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (ArgumentException) { }
                if (called is MethodInfo { IsGenericMethod: false } m && m.DeclaringType is { IsGenericType: false }) yield return m;
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }
}
