using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary><c>Idempotency-Key</c> on creating POSTs, through real HTTP and the database.</summary>
public sealed class IdempotencyTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    /// <summary>POSTs under <c>/api/v1</c> that create nothing (state changes, sign-in, queries, visitor calls), by name.</summary>
    private static readonly HashSet<string> NotCreating =
    [
        "ChangePassword", "StartTwoFactorEnrolment", "DisableTwoFactor", "EnableTwoFactor", "RegenerateRecoveryCodes",
        "DeactivateAgent", "ResendInvitation", "ReactivateAgent", "EndAgentSessions", "AcceptInvitation", "SignOut",
        "RequestPasswordReset", "ConfirmPasswordReset", "RefreshAgentToken", "CreateAgentToken", "UseCannedReply",
        "EraseContact", "MergeContacts", "UnmaskContact", "ReassignConversation", "FollowConversation",
        "UnmaskMessage", "AcceptOffer", "DeclineOffer", "OpenConversation", "MarkConversationPending",
        "MarkConversationRead", "ReopenConversation", "ResolveConversation", "SnoozeConversation", "TakeConversation",
        "TransferConversation", "CollectMemory", "TestEmailConnection", "RegenerateIdentitySecret",
        "CheckWeChatCredentials", "RegenerateWidgetKey", "MarkNotificationsRead", "SearchByBody", "BulkUpdateTickets",
        "MergeTicket", "LinkTickets", "ReplayFailedWebhookDeliveries", "ReplayWebhookDelivery", "RotateWebhookSecret",
        "TrackVisitorEvent", "IdentifyWidgetVisitor", "RateArticle", "SubmitPreChat",
        "CreateWidgetSession", "AnswerSurvey", "TestFlowDraft", "TestAiSettings", "ArchiveTicketField", "UnarchiveTicketField",
        "CheckInvitation", "AcceptVisitorInvitation", "DismissVisitorInvitation",
    ];

    [Fact]
    public void EveryPostOfTheApi_EitherTakesAnIdempotencyKey_OrIsListedAsCreatingNothing()
    {
        var posts = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal) &&
                        (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") ?? false))
            .Select(e => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, Keyed: Idempotency.Applies(e.Metadata.GetMetadata<MethodInfo>()!, e.Metadata)))
            .ToList();

        var unclassified = posts.Where(p => !p.Keyed && !NotCreating.Contains(p.Name)).Select(p => p.Name).ToList();
        Assert.True(unclassified.Count == 0, "POSTs that take no Idempotency-Key: if one creates something, add .CreatesResource() " +
            "(or answer TypedResults.Created); otherwise list it in NotCreating: " + string.Join(", ", unclassified));
        Assert.Empty(posts.Where(p => p.Keyed && NotCreating.Contains(p.Name)).Select(p => p.Name));
        Assert.Contains(posts, p => p is { Name: "CreateContactAttribute", Keyed: true });
    }

    [Fact]
    public async Task ACreatingPostThatAnswers200_IsIdempotentToo()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();
        var attribute = "idem_" + Guid.NewGuid().ToString("N")[..8];
        async Task<HttpResponseMessage> PostAsync(string label)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/contact-attributes")
            {
                Content = JsonContent.Create(new { key = attribute, labelEn = label, labelZh = label, type = "text" }),
            };
            request.Headers.Add(Idempotency.Header, key);
            return await admin.SendAsync(request);
        }

        var first = await PostAsync("Plan");
        var retry = await PostAsync("Plan");
        var other = await PostAsync("Another body");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode)); // without the key the retry would be a 409 duplicate
        Assert.True(retry.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency_key_reused", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task SameKeyAndBody_ReplaysTheFirstAnswer_AndCreatesOnce()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();
        var name = "Idem " + Guid.NewGuid().ToString("N")[..8];

        var first = await PostTeamAsync(admin, key, name);
        var retry = await PostTeamAsync(admin, key, name);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.True(retry.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.False(first.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(1, await _server.WithDbAsync(db => db.Teams.CountAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task SameKey_WithAnotherBody_Is422_AndNothingIsCreated()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();
        var name = "Idem " + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await PostTeamAsync(admin, key, name)).StatusCode);

        var other = await PostTeamAsync(admin, key, name + " other");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency_key_reused", await other.CodeAsync());
        Assert.False(await _server.WithDbAsync(db => db.Teams.AnyAsync(t => t.Name == name + " other")));
    }

    [Fact]
    public async Task SameKey_WhileTheFirstIsRunning_Is409()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();
        var name = "Idem " + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await PostTeamAsync(admin, key, name)).StatusCode);
        // Back to how the key's row stands while its first request runs: claimed, no answer yet.
        await _server.WithDbAsync(db => db.Set<IdempotencyRecord>().Where(r => r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, 0).SetProperty(r => r.Body, (string?)null)));

        var whileRunning = await PostTeamAsync(admin, key, name);

        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Equal("idempotency_key_in_use", await whileRunning.CodeAsync());
        Assert.NotNull(whileRunning.Headers.RetryAfter);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Teams.CountAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task ConcurrentRequests_WithOneKey_CreateOnce()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();
        var name = "Idem " + Guid.NewGuid().ToString("N")[..8];

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostTeamAsync(admin, key, name)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"got {(int)a.StatusCode}"));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Teams.CountAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task KeysBelongToAWorkspace_AndExpireAfterADay()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();
        var name = "Idem " + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await PostTeamAsync(admin, key, name)).StatusCode);

        await _server.WithDbAsync(db => db.Set<IdempotencyRecord>().Where(r => r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, DateTime.UtcNow.AddHours(-25))));
        var afterADay = await PostTeamAsync(admin, key, name + " later");

        Assert.Equal(HttpStatusCode.Created, afterADay.StatusCode);
        await _server.WithDbAsync(db => db.Set<IdempotencyRecord>().Where(r => r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, DateTime.UtcNow.AddHours(-25))));
        var sweep = _server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IdempotencySweep>().Single();
        Assert.True(await sweep.SweepAsync(CancellationToken.None) >= 1);
        Assert.False(await _server.WithDbAsync(db => db.Set<IdempotencyRecord>().AnyAsync(r => r.Key == key)));
    }

    [Fact]
    public async Task AnInvalidKey_Is400_AndNothingIsCreated()
    {
        using var admin = await _server.AgentHttpAsync();
        var name = "Idem " + Guid.NewGuid().ToString("N")[..8];

        var response = await PostTeamAsync(admin, new string('k', 300), name);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_idempotency_key", await response.CodeAsync());
        Assert.False(await _server.WithDbAsync(db => db.Teams.AnyAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task AFailedRequest_IsReplayedAsItFailed_ButAServerErrorFreesTheKey()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();

        var invalid = await PostTeamAsync(admin, key, "");
        var again = await PostTeamAsync(admin, key, "");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True(again.Headers.Contains(Idempotency.ReplayedHeader));
    }

    [Fact]
    public async Task ApiKeyRequests_AreIdempotentToo()
    {
        using var admin = await _server.AgentHttpAsync();
        var (_, apiKey) = await admin.CreateKeyAsync("write", "knowledge");
        using var http = _server.KeyHttp(apiKey);
        var key = Guid.NewGuid().ToString();
        var question = "How do I return order " + Guid.NewGuid().ToString("N")[..6] + "?";

        var first = await PostWithKeyAsync(http, "/api/v1/knowledge/articles", key, new { question, answer = "Send it back within 30 days.", category = "Orders", language = "en" });
        var retry = await PostWithKeyAsync(http, "/api/v1/knowledge/articles", key, new { question, answer = "Send it back within 30 days.", category = "Orders", language = "en" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Articles.CountAsync(a => a.Question == question)));
    }

    [Fact]
    public async Task CreatingAnApiKey_IsNeverReplayed_ItsSecretIsNotStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var key = Guid.NewGuid().ToString();

        var created = await PostWithKeyAsync(admin, "/api/v1/api-keys", key, new { name = "Once", access = "read", permissions = new[] { "contacts" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.Set<IdempotencyRecord>().AnyAsync(r => r.Key == key)));
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.False(await _server.WithDbAsync(db => db.Set<IdempotencyRecord>().AnyAsync(r => r.Body != null && r.Body.Contains(secret))));
    }

    private static Task<HttpResponseMessage> PostTeamAsync(HttpClient http, string key, string name) =>
        PostWithKeyAsync(http, "/api/v1/teams", key, new { name });

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient http, string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(Idempotency.Header, key);
        return http.SendAsync(request);
    }
}
