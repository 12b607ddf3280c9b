using System.Globalization;

namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>Skills with levels, written <c>en:5 zh:3 vip</c> (a skill without a level has level 1). Names are case-insensitive.</summary>
internal sealed class SkillSet
{
    public static readonly SkillSet Empty = new(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase));

    private readonly Dictionary<string, int> _levels;

    private SkillSet(Dictionary<string, int> levels) => _levels = levels;

    public IReadOnlyDictionary<string, int> Levels => _levels;

    /// <summary>Parses the text form; returns null with an error for a bad level or name.</summary>
    public static SkillSet? TryParse(string? text, out string? error)
    {
        error = null;
        var levels = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in (text ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split(':');
            var name = parts[0].Trim();
            var level = 1;
            if (name.Length is 0 or > 40 || parts.Length > 2 || !Hosting.SafeText.IsSingleLine(token) ||
                parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out level) || level is < 1 or > 10))
            {
                error = $"'{token}' is not a skill: write name or name:level with a level from 1 to 10.";
                return null;
            }

            levels[name] = level;
        }

        return new SkillSet(levels);
    }

    /// <summary>Parses text already validated on save; anything malformed counts as no skills.</summary>
    public static SkillSet Parse(string? text) => TryParse(text, out _) ?? Empty;

    /// <summary>True when this set has every skill of <paramref name="required"/> at least at its level.</summary>
    public bool Covers(SkillSet required)
    {
        // Most conversations require no skill; the router asks this for every agent it considers.
        if (required._levels.Count == 0)
        {
            return true;
        }

        foreach (var (name, level) in required._levels)
        {
            if (!_levels.TryGetValue(name, out var mine) || mine < level)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Union, keeping the higher level of a skill in both.</summary>
    public SkillSet With(SkillSet other)
    {
        var merged = new Dictionary<string, int>(Levels, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, level) in other.Levels)
        {
            merged[name] = Math.Max(level, merged.GetValueOrDefault(name));
        }

        return new SkillSet(merged);
    }

    public override string ToString() => string.Join(' ', Levels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value == 1 ? l.Key : $"{l.Key}:{l.Value}"));
}
