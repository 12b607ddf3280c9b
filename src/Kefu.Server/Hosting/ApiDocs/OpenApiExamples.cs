using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Kefu.Server.Hosting.ApiDocs;

/// <summary>
/// Examples for the OpenAPI document (ADR 0031): every JSON request body and JSON response gets an <c>example</c> built
/// from its schema, so a generated client's docs and the reference page show a filled-in request and answer for every
/// operation, and they cannot drift from the DTOs. Values follow the schema (formats, enums, nested objects, arrays of
/// one); strings take a value from the property's name where that says what it is (<c>email</c>, <c>url</c>, <c>name</c>
/// …). The problem-details error gets a real Kefu error. Hand-written examples on a schema are kept.
/// </summary>
internal static class OpenApiExamples
{
    private const int MaxDepth = 6;

    /// <summary>Adds the examples to every operation of <paramref name="document"/>.</summary>
    public static Task AddAsync(OpenApiDocument document)
    {
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations ?? []).Select(o => o.Value))
        {
            foreach (var (type, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                Fill(document, type, media);
            }

            foreach (var (status, response) in operation.Responses ?? [])
            {
                foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    if (status == "default")
                    {
                        media.Example ??= Problem();
                    }
                    else
                    {
                        Fill(document, type, media);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Fill(OpenApiDocument document, string contentType, OpenApiMediaType media)
    {
        if (media.Example is null && media.Schema is { } schema && contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            media.Example = Example(document, schema, null, 0);
        }
    }

    /// <summary>An example of one value of <paramref name="schema"/>; <paramref name="name"/> is the property it fills.</summary>
    private static JsonNode? Example(OpenApiDocument document, IOpenApiSchema schema, string? name, int depth)
    {
        if (schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id && document.Components?.Schemas?.TryGetValue(id, out var target) == true)
        {
            schema = target;
        }

        if (schema.Examples is { Count: > 0 } given && given[0] is { } first)
        {
            return first.DeepClone();
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            return values[0]?.DeepClone();
        }

        if ((schema.OneOf ?? schema.AnyOf) is { Count: > 0 } choices)
        {
            return Example(document, choices.FirstOrDefault(c => c.Type is not JsonSchemaType.Null) ?? choices[0], name, depth);
        }

        var type = schema.Type ?? (schema.Properties is { Count: > 0 } ? JsonSchemaType.Object : JsonSchemaType.String);
        if (type.HasFlag(JsonSchemaType.Array))
        {
            return depth >= MaxDepth || schema.Items is null ? new JsonArray() : new JsonArray(Example(document, schema.Items, Singular(name), depth + 1));
        }

        if (type.HasFlag(JsonSchemaType.Object))
        {
            var example = new JsonObject();
            if (depth < MaxDepth)
            {
                foreach (var (property, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                {
                    example[property] = Example(document, propertySchema, property, depth + 1);
                }
            }

            return example;
        }

        return type.HasFlag(JsonSchemaType.Integer) ? JsonValue.Create(Number(name))
            : type.HasFlag(JsonSchemaType.Number) ? JsonValue.Create(4.5)
            : type.HasFlag(JsonSchemaType.Boolean) ? JsonValue.Create(true)
            : type.HasFlag(JsonSchemaType.String) ? JsonValue.Create(Text(schema.Format, name ?? ""))
            : null;
    }

    private static string Text(string? format, string name) => format switch
    {
        "uuid" => "0193a7c2-5b1e-7c3d-9f21-4e8a6b2d1c0f",
        "date-time" => "2026-12-01T09:30:00Z",
        "date" => "2026-12-01",
        "uri" => "https://shop.example.com/kefu",
        "email" => "wang.fang@example.com",
        _ => name.ToLowerInvariant() switch
        {
            var n when n.Contains("email", StringComparison.Ordinal) => "wang.fang@example.com",
            var n when n.Contains("url", StringComparison.Ordinal) => "https://shop.example.com/kefu",
            var n when n.EndsWith("id", StringComparison.Ordinal) => "0193a7c2-5b1e-7c3d-9f21-4e8a6b2d1c0f",
            var n when n.EndsWith("at", StringComparison.Ordinal) || n.Contains("time", StringComparison.Ordinal) => "2026-12-01T09:30:00Z",
            "name" or "displayname" => "Wang Fang",
            "subject" or "title" => "Order 1042 arrived damaged",
            "text" or "body" or "description" => "The parcel arrived today, but the box was crushed.",
            "language" or "locale" => "zh-CN",
            "cursor" or "nextcursor" => "MTAwMjM6MDE5M2E3YzI",
            "" => "example",
            var n => n,
        },
    };

    private static long Number(string? name) => name?.ToLowerInvariant() switch
    {
        "pagesize" or "limit" => 50,
        "seq" or "afterseq" => 12,
        "status" => 200,
        _ => 1,
    };

    private static string? Singular(string? name) => name is { Length: > 1 } && name.EndsWith('s') ? name[..^1] : name;

    /// <summary>What every error looks like (RFC 9457 with Kefu's <c>code</c>).</summary>
    private static JsonObject Problem() => new()
    {
        ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        ["title"] = "Conversation not found.",
        ["status"] = 404,
        ["code"] = "conversation_not_found",
    };
}
