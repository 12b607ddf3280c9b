using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace Kefu.UnitTests.Hosting;

/// <summary>
/// A small renderer for the subset of Helm's Go templates that <c>deploy/helm/kefu</c> uses, so the test suite can render
/// the chart without the <c>helm</c> binary (none can be installed on the project's machines): actions with
/// <c>{{-</c>/<c>-}}</c> trimming, comments, <c>define</c>/<c>include</c>, <c>if</c>/<c>else</c>/<c>end</c>,
/// <c>range $i, $v := …</c>, pipelines, and the functions <c>quote</c>, <c>default</c>, <c>required</c>, <c>not</c>,
/// <c>toYaml</c>, <c>nindent</c>, <c>trunc</c>, <c>trimSuffix</c>. Anything else throws, so a template using a construct
/// this renderer does not know fails the test instead of rendering wrongly.
/// </summary>
internal sealed partial class HelmTemplate
{
    private readonly Dictionary<string, List<Node>> _defines = [];
    private readonly Dictionary<string, object?> _root;

    public HelmTemplate(string chartDirectory, string releaseName, IReadOnlyDictionary<string, object?> overrides)
    {
        var deserializer = new DeserializerBuilder().Build();
        var chart = deserializer.Deserialize<Dictionary<object, object?>>(File.ReadAllText(Path.Combine(chartDirectory, "Chart.yaml")));
        var values = deserializer.Deserialize<Dictionary<object, object?>>(File.ReadAllText(Path.Combine(chartDirectory, "values.yaml")));
        foreach (var (path, value) in overrides)
        {
            Set(values, path.Split('.'), value);
        }

        _root = new Dictionary<string, object?>
        {
            ["Values"] = values,
            ["Release"] = new Dictionary<object, object?> { ["Name"] = releaseName, ["Namespace"] = "default", ["Service"] = "Helm" },
            ["Chart"] = new Dictionary<object, object?> { ["Name"] = chart["name"], ["Version"] = chart["version"], ["AppVersion"] = chart["appVersion"] },
        };
        foreach (var helper in Directory.GetFiles(Path.Combine(chartDirectory, "templates"), "_*.tpl"))
        {
            Parse(File.ReadAllText(helper)); // fills _defines; the text around the defines is dropped, as Helm does
        }
    }

    /// <summary>Renders one template file to YAML text.</summary>
    public string Render(string templateFile)
    {
        var output = new StringBuilder();
        Execute(Parse(File.ReadAllText(templateFile)), new Scope(_root, []), output);
        return output.ToString();
    }

    private static void Set(Dictionary<object, object?> values, string[] path, object? value)
    {
        for (var i = 0; i < path.Length - 1; i++)
        {
            values = (Dictionary<object, object?>)values[path[i]]!;
        }

        values[path[^1]] = value;
    }

    // ---- parsing ------------------------------------------------------------------------------------------------

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(string Expression) : Node;

    private sealed record IfNode(string Condition, List<Node> Then, List<Node> Else) : Node;

    private sealed record RangeNode(string? IndexVariable, string ValueVariable, string Expression, List<Node> Body) : Node;

    private List<Node> Parse(string template)
    {
        // Trimming first: "{{-" eats the whitespace before it, "-}}" the whitespace after it.
        var text = TrimLeft().Replace(template, "{{");
        text = TrimRight().Replace(text, "}}");
        var tokens = new List<(bool Action, string Text)>();
        var at = 0;
        foreach (Match m in Action().Matches(text))
        {
            tokens.Add((false, text[at..m.Index]));
            tokens.Add((true, m.Groups[1].Value.Trim()));
            at = m.Index + m.Length;
        }

        tokens.Add((false, text[at..]));
        var index = 0;
        var nodes = ParseBlock(tokens, ref index, out var end);
        Assert.Null(end);
        return nodes;
    }

    /// <summary>Nodes up to an <c>else</c> or <c>end</c> (returned in <paramref name="end"/>), or to the end of the tokens.</summary>
    private List<Node> ParseBlock(List<(bool Action, string Text)> tokens, ref int index, out string? end)
    {
        var nodes = new List<Node>();
        while (index < tokens.Count)
        {
            var (action, text) = tokens[index++];
            if (!action)
            {
                nodes.Add(new TextNode(text));
            }
            else if (text.StartsWith("/*", StringComparison.Ordinal))
            {
                // a comment
            }
            else if (text is "end" or "else")
            {
                end = text;
                return nodes;
            }
            else if (text.StartsWith("if ", StringComparison.Ordinal))
            {
                var then = ParseBlock(tokens, ref index, out var closer);
                var otherwise = closer == "else" ? ParseBlock(tokens, ref index, out closer) : [];
                Assert.Equal("end", closer);
                nodes.Add(new IfNode(text[3..], then, otherwise));
            }
            else if (RangeHeader().Match(text) is { Success: true } range)
            {
                var body = ParseBlock(tokens, ref index, out var closer);
                Assert.Equal("end", closer);
                nodes.Add(new RangeNode(range.Groups[1].Success ? range.Groups[1].Value : null, range.Groups[2].Value, range.Groups[3].Value, body));
            }
            else if (DefineHeader().Match(text) is { Success: true } define)
            {
                _defines[define.Groups[1].Value] = ParseBlock(tokens, ref index, out var closer);
                Assert.Equal("end", closer);
            }
            else
            {
                nodes.Add(new ActionNode(text));
            }
        }

        end = null;
        return nodes;
    }

    // ---- execution ----------------------------------------------------------------------------------------------

    private sealed record Scope(object? Dot, Dictionary<string, object?> Variables);

    private void Execute(List<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    output.Append(Format(Evaluate(action.Expression, scope)));
                    break;
                case IfNode branch:
                    Execute(Truthy(Evaluate(branch.Condition, scope)) ? branch.Then : branch.Else, scope, output);
                    break;
                case RangeNode range:
                    List<(object? Key, object? Value)> items = Evaluate(range.Expression, scope) switch
                    {
                        null => [],
                        IDictionary map => map.Keys.Cast<object>().OrderBy(k => k.ToString(), StringComparer.Ordinal).Select(k => ((object?)k, map[k])).ToList(),
                        IList list => list.Cast<object?>().Select((v, i) => ((object?)i, v)).ToList(),
                        var other => throw new InvalidOperationException($"range over {other.GetType().Name}"),
                    };
                    foreach (var (key, value) in items)
                    {
                        var variables = new Dictionary<string, object?>(scope.Variables) { [range.ValueVariable] = value };
                        if (range.IndexVariable is { } indexName)
                        {
                            variables[indexName] = key;
                        }

                        Execute(range.Body, scope with { Variables = variables }, output);
                    }

                    break;
            }
        }
    }

    private object? Evaluate(string expression, Scope scope)
    {
        object? piped = null;
        var first = true;
        foreach (var command in SplitTopLevel(expression, '|'))
        {
            var args = Arguments(command.Trim());
            piped = first ? Call(args, null, false, scope) : Call(args, piped, true, scope);
            first = false;
        }

        return piped;
    }

    private object? Call(List<string> args, object? piped, bool hasPiped, Scope scope)
    {
        var name = args[0];
        object? Arg(int i) => i < args.Count - 1 || !hasPiped ? Value(args[i], scope) : piped;
        var values = args.Skip(1).Select(a => Value(a, scope)).ToList();
        if (hasPiped)
        {
            values.Add(piped);
        }

        return name switch
        {
            "include" => Include((string)values[0]!, values[1], scope),
            "quote" => "\"" + Format(values[^1]).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            "default" => Truthy(values[^1]) ? values[^1] : values[0],
            "required" => Truthy(values[^1]) ? values[^1] : throw new InvalidOperationException((string)values[0]!),
            "not" => !Truthy(values[0]),
            "toYaml" => new SerializerBuilder().Build().Serialize(values[0]).TrimEnd('\n'),
            "nindent" => "\n" + Indent(Format(values[^1]), int.Parse((string)values[0]!, CultureInfo.InvariantCulture)),
            "trunc" => Format(values[^1]) is var s && s.Length > int.Parse((string)values[0]!, CultureInfo.InvariantCulture) ? s[..int.Parse((string)values[0]!, CultureInfo.InvariantCulture)] : Format(values[^1]),
            "trimSuffix" => Format(values[^1]) is var t && t.EndsWith((string)values[0]!, StringComparison.Ordinal) ? t[..^((string)values[0]!).Length] : Format(values[^1]),
            _ when args.Count == 1 && !hasPiped => Arg(0),
            _ => throw new InvalidOperationException($"the test's renderer does not know '{name}'"),
        };
    }

    private string Include(string name, object? dot, Scope scope)
    {
        var output = new StringBuilder();
        Execute(_defines[name], new Scope(dot, scope.Variables), output);
        return output.ToString().Trim();
    }

    /// <summary>One argument: a string, a number, a parenthesised pipeline, <c>.</c>, a path from the dot, or a variable.</summary>
    private object? Value(string arg, Scope scope)
    {
        if (arg.StartsWith('"'))
        {
            return arg[1..^1];
        }

        if (arg.StartsWith('('))
        {
            return Evaluate(arg[1..^1], scope);
        }

        if (arg.Length > 0 && char.IsDigit(arg[0]))
        {
            return arg;
        }

        object? current;
        string rest;
        if (arg.StartsWith('$'))
        {
            var dotAt = arg.IndexOf('.', StringComparison.Ordinal);
            current = scope.Variables[dotAt < 0 ? arg : arg[..dotAt]];
            rest = dotAt < 0 ? "" : arg[(dotAt + 1)..];
        }
        else if (arg.StartsWith('.'))
        {
            current = scope.Dot;
            rest = arg[1..];
        }
        else
        {
            throw new InvalidOperationException($"the test's renderer does not know '{arg}'");
        }

        foreach (var part in rest.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current switch
            {
                Dictionary<string, object?> root => root[part],
                IDictionary map => map.Contains(part) ? map[part] : null,
                _ => null,
            };
        }

        return current;
    }

    private static List<string> Arguments(string command)
    {
        var args = new List<string>();
        var at = 0;
        while (at < command.Length)
        {
            if (command[at] == ' ')
            {
                at++;
                continue;
            }

            var start = at;
            if (command[at] == '"')
            {
                at = command.IndexOf('"', at + 1) + 1;
            }
            else if (command[at] == '(')
            {
                for (var depth = 0; at < command.Length; at++)
                {
                    depth += command[at] == '(' ? 1 : command[at] == ')' ? -1 : 0;
                    if (depth == 0)
                    {
                        at++;
                        break;
                    }
                }
            }
            else
            {
                while (at < command.Length && command[at] != ' ')
                {
                    at++;
                }
            }

            args.Add(command[start..at]);
        }

        return args;
    }

    private static IEnumerable<string> SplitTopLevel(string expression, char separator)
    {
        var (depth, quoted, start) = (0, false, 0);
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            quoted ^= c == '"';
            depth += quoted ? 0 : c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == separator && depth == 0 && !quoted)
            {
                yield return expression[start..i];
                start = i + 1;
            }
        }

        yield return expression[start..];
    }

    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0 && s != "false" && s != "0",
        ICollection c => c.Count > 0,
        _ => true,
    };

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));

    [GeneratedRegex(@"[ \t\r\n]*\{\{-\s")]
    private static partial Regex TrimLeft();

    [GeneratedRegex(@"\s-\}\}[ \t\r\n]*")]
    private static partial Regex TrimRight();

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.+)$")]
    private static partial Regex RangeHeader();

    [GeneratedRegex("^define\\s+\"([^\"]+)\"$")]
    private static partial Regex DefineHeader();
}
