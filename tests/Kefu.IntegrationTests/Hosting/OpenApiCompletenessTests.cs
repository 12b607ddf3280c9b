using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> describes every REST endpoint completely, and only the people it is
/// meant for can read it. Endpoints are found at run time, so one mapped tomorrow is checked the day it is mapped.
/// </summary>
public sealed partial class OpenApiCompletenessTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public void EveryApiEndpoint_HasANameATagAndATypedResponse()
    {
        var failures = Incomplete(ApiEndpoints());

        Assert.True(failures.Count == 0, "REST endpoints the OpenAPI document cannot describe completely:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void TheCheck_FailsForAnEndpointWithoutANameATagOrAResponseType()
    {
        // An endpoint as a new contributor might map it: a route and a hand-written result, nothing else.
        var bare = (RouteEndpoint)new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/v1/things"), 0)
        {
            Metadata = { new HttpMethodMetadata(["GET"]) },
        }.Build();

        var failures = Incomplete([("GET /api/v1/things", bare)]);

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains(".WithName(", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains(".WithTags(", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("a success response type", StringComparison.Ordinal));
    }

    /// <summary>What each endpoint lacks for a complete description, one line per missing piece naming the fix.</summary>
    private static List<string> Incomplete(IEnumerable<(string Key, RouteEndpoint Endpoint)> endpoints)
    {
        var failures = new List<string>();
        var names = new Dictionary<string, string>();
        foreach (var (key, endpoint) in endpoints)
        {
            var where = endpoint.Metadata.GetMetadata<MethodInfo>()?.DeclaringType is { } t ? $" (mapped in {Outer(t).Name})" : "";
            var missing = new List<string>();
            if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not { Length: > 0 } name)
            {
                missing.Add(".WithName(\"VerbNoun\") — a unique operation id, such as the use case's class name");
            }
            else if (!names.TryAdd(name, key))
            {
                missing.Add($".WithName(\"{name}\") is also used by {names[name]}: pick another name");
            }

            if (endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags is not { Count: > 0 })
            {
                missing.Add(".WithTags(\"<Capability>\") — the folder's name, such as \"Conversations\"");
            }

            if (endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                missing.Add("no .ExcludeFromDescription(): every REST endpoint is part of the document");
            }

            if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(p => p.StatusCode is >= 200 and < 400))
            {
                missing.Add("a success response type: return Task<Results<Ok<TDto>, NotFound, ProblemHttpResult>> (TypedResults), " +
                            "or add .Produces<TDto>() / .Produces(204) / .Produces(200, contentType: \"text/csv\") for a hand-written IResult");
            }

            failures.AddRange(missing.Select(m => $"{key}{where}: add {m}"));
        }

        return failures;
    }

    [Fact]
    public async Task Document_IsOpenApi31_AndDescribesEveryApiRoute_WithOperationIdTagsResponsesProblemDetailsAndExamples()
    {
        using var admin = await _server.AgentHttpAsync();
        var response = await admin.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.1", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));
        var paths = root.GetProperty("paths");

        var failures = new List<string>();
        foreach (var (key, _) in ApiEndpoints())
        {
            var (method, pattern) = (key.Split(' ')[0], Constraint().Replace(key.Split(' ')[1], "{$1}"));
            if (!paths.TryGetProperty(pattern, out var path) || !path.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                failures.Add($"{key}: not in the document");
                continue;
            }

            if (!operation.TryGetProperty("operationId", out _))
            {
                failures.Add($"{key}: no operationId");
            }

            if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
            {
                failures.Add($"{key}: no tag");
            }

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            if (!responses.Any(r => r.Name.StartsWith('2') || r.Name.StartsWith('3')))
            {
                failures.Add($"{key}: no success response");
            }

            if (!responses.Any(r => r.Name == "default" && r.Value.GetRawText().Contains("#/components/schemas/ProblemDetails", StringComparison.Ordinal)))
            {
                failures.Add($"{key}: no problem-details error response");
            }

            // Examples: every JSON body sent or answered, and the error, show one (OpenApiExamples fills them from the schemas).
            var bodies = responses.Where(r => r.Name.StartsWith('2') || r.Name == "default").Select(r => (r.Name, r.Value)).ToList();
            if (operation.TryGetProperty("requestBody", out var request))
            {
                bodies.Add(("request", request));
            }

            foreach (var (name, body) in bodies)
            {
                if (!body.TryGetProperty("content", out var content))
                {
                    continue; // 204, or a body without a declared type
                }

                foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal) && m.Value.TryGetProperty("schema", out _)))
                {
                    if (!media.Value.TryGetProperty("example", out var example) || example.ValueKind == JsonValueKind.Null)
                    {
                        failures.Add($"{key}: no example for {name} {media.Name}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        var createWebhook = paths.GetProperty("/api/v1/webhooks").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.StartsWith("https://", createWebhook.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, createWebhook.GetProperty("events").ValueKind);
        Assert.DoesNotContain(paths.EnumerateObject(), p => !p.Name.StartsWith("/api/", StringComparison.Ordinal)); // console pages are not API
    }

    [Fact]
    public async Task Document_AndReference_AreRefused_ToStrangers_AndToRolesWithoutSettings()
    {
        using var nobody = _server.Http();
        using var agent = await new Workspace(_server).PersonAsync();
        foreach (var path in new[] { "/openapi/v1.json", "/api-docs" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task Reference_ForAnAdmin_IsServedFromKefuItself_WithNothingFromTheInternet()
    {
        using var admin = await _server.AgentHttpAsync();

        // The page itself lives at /api-docs/ (Scalar redirects /api-docs there; HttpClient drops the bearer on a redirect).
        var page = await admin.GetStringAsync("/api-docs/");

        Assert.Contains("\"url\":\"openapi/v1.json\"", page, StringComparison.Ordinal); // relative to the application's base
        Assert.Contains("\"telemetry\":false", page, StringComparison.Ordinal);
        var sources = ScriptOrLink().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.DoesNotContain("//", s, StringComparison.Ordinal));
        Assert.DoesNotContain("fonts.scalar.com", page, StringComparison.Ordinal);
        foreach (var source in sources)
        {
            var file = await admin.GetAsync(new Uri(new Uri(_server.BaseAddress, "/api-docs/"), source));
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
    }

    [Fact]
    public async Task Document_WhenConfiguredPublic_IsServedToAnyone()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:ApiDocs:Public"] = "true" } }.Start();
        using var nobody = server.Http();

        Assert.Equal(HttpStatusCode.OK, (await nobody.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nobody.GetAsync("/api-docs")).StatusCode);
    }

    private IEnumerable<(string Key, RouteEndpoint Endpoint)> ApiEndpoints()
    {
        foreach (var endpoint in _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                yield return ($"{method} {pattern}", endpoint);
            }
        }
    }

    private static Type Outer(Type type) => type.DeclaringType is { } outer ? Outer(outer) : type;

    /// <summary><c>{id:guid}</c> → <c>{id}</c>, as the document writes route parameters.</summary>
    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex ScriptOrLink();
}
