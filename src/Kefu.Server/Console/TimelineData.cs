using System.Text.Json;

namespace Kefu.Server.Console;

/// <summary>Reads one field of a timeline event's JSON (<c>TimelineEvent.Data</c>), for the panels that describe events.</summary>
internal static class TimelineData
{
    public static string? Field(string? json, string name)
    {
        if (json is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
    }

    /// <summary>A whole-number field (a call's <c>durationSeconds</c>), or null.</summary>
    public static long? Number(string? json, string name)
    {
        if (json is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.TryGetInt64(out var n)
            ? n
            : null;
    }
}
