using System.Globalization;

namespace Kefu.Bench;

/// <summary>Command-line options shared by every scenario: <c>--name value</c> pairs (a bare <c>--flag</c> means "true").</summary>
public sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values;

    private BenchOptions(Dictionary<string, string> values) => _values = values;

    /// <summary>Parses the arguments after the scenario name.</summary>
    public static BenchOptions Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    values[pending] = "true";
                }

                pending = arg[2..];
            }
            else if (pending is not null)
            {
                values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}': options are --name value pairs.");
            }
        }

        if (pending is not null)
        {
            values[pending] = "true";
        }

        return new BenchOptions(values);
    }

    /// <summary>True when the option was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The option's text, or <paramref name="fallback"/>.</summary>
    public string? GetString(string name, string? fallback = null) => _values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>
    /// The option as a file path. <c>dotnet run</c> of a Web SDK project starts in the project folder, so a
    /// relative path is tried against the caller's shell folder (<c>PWD</c>) and then each parent folder too.
    /// </summary>
    public string? GetPath(string name)
    {
        if (GetString(name) is not { } path || Path.IsPathRooted(path) || File.Exists(path))
        {
            return GetString(name);
        }

        if (Environment.GetEnvironmentVariable("PWD") is { } pwd && File.Exists(Path.Combine(pwd, path)))
        {
            return Path.Combine(pwd, path);
        }

        for (var dir = Directory.GetParent(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, path)))
            {
                return Path.Combine(dir.FullName, path);
            }
        }

        return path;
    }

    /// <summary>The option as an integer, or <paramref name="fallback"/>.</summary>
    public int GetInt(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The option as a number, or <paramref name="fallback"/>.</summary>
    public double GetDouble(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
