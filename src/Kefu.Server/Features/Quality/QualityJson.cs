using System.Text.Json;
using Kefu.Server.Features.Quality.Contracts;

namespace Kefu.Server.Features.Quality;

/// <summary>The JSON columns of quality inspection: a version's items and a score's item results.</summary>
internal static class QualityJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Items(IReadOnlyList<ScorecardItem> items) => JsonSerializer.Serialize(items, Options);

    public static List<ScorecardItem> Items(string json) => JsonSerializer.Deserialize<List<ScorecardItem>>(json, Options) ?? [];

    public static string Results(IReadOnlyList<ItemResultDto> results) => JsonSerializer.Serialize(results, Options);

    public static List<ItemResultDto> Results(string json) => JsonSerializer.Deserialize<List<ItemResultDto>>(json, Options) ?? [];
}
