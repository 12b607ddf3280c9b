using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Ai;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Ai;

/// <summary>A server with the bot on and an OpenAI-compatible test server beside it.</summary>
public sealed class LlmServer : IAsyncLifetime
{
    public KefuFactory Server { get; } = new() { Bot = true };

    internal FakeLlmServer Llm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Llm = await FakeLlmServer.StartAsync();
        Server.Start();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Llm.DisposeAsync();
    }
}

public sealed class LlmAnswerTests(LlmServer fixture) : IClassFixture<LlmServer>
{
    private const string Secret = "sk-test-secret-4242";
    private const string Ambiguous = "退货退款"; // the offline engine offers choices for it (BotAnswerTests)
    private readonly KefuFactory _server = fixture.Server;
    private readonly FakeLlmServer _llm = fixture.Llm;

    /// <summary>
    /// One walk through the LLM's life in a workspace: off by default, bad settings refused with nothing stored, the key
    /// sealed and never returned, the test button, then grounded answers through the widget hub, and every way the
    /// endpoint can fail (no citation, a citation of another article, a hang, 10 MB, garbage, the budget spent) falling
    /// back to today's choices within the timeout, each call in the cost log.
    /// </summary>
    [Fact]
    public async Task Llm_AnswersOnlyWithACitation_AndEveryFailureFallsBackToTheOfflineEngine()
    {
        using var http = await _server.AgentHttpAsync();
        var initial = await http.GetFromJsonAsync<AiSettingsDto>("/api/v1/workspace/ai", KefuFactory.Json);
        Assert.False(initial!.Enabled);
        Assert.False(initial.HasApiKey);

        foreach (var (body, code) in new (object, string)[]
                 {
                     (Settings(endpoint: "file:///etc/passwd"), "invalid_ai_endpoint"),
                     (Settings(endpoint: "http://user:pw@127.0.0.1/v1"), "invalid_ai_endpoint"),
                     (Settings(model: ""), "invalid_ai_model"),
                     (Settings(timeout: 0), "invalid_ai_timeout"),
                     (Settings(budget: 0), "invalid_ai_budget"),
                 })
        {
            var refused = await http.PutAsJsonAsync("/api/v1/workspace/ai", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(code, (await refused.Content.ReadFromJsonAsync<ProblemBody>())!.Code);
        }

        Assert.Equal(0, await _server.WithDbAsync(db => db.AiSettings.CountAsync()));

        // Saved while off: the key is sealed, never returned, and the test button works before the LLM is turned on.
        var saved = await http.PutAsJsonAsync("/api/v1/workspace/ai", Settings(enabled: false, apiKey: Secret));
        saved.EnsureSuccessStatusCode();
        Assert.DoesNotContain(Secret, await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await saved.Content.ReadFromJsonAsync<AiSettingsDto>(KefuFactory.Json))!.HasApiKey);
        Assert.DoesNotContain(Secret, await _server.WithDbAsync(db => db.AiSettings.Select(s => s.ProtectedApiKey!).SingleAsync()), StringComparison.Ordinal);

        var test = await (await http.PostAsync("/api/v1/workspace/ai/test", null)).Content.ReadFromJsonAsync<AiTestResultDto>(KefuFactory.Json);
        Assert.Equal(("ok", "OK"), (test!.Outcome, test.Reply));
        Assert.Equal("Bearer " + Secret, _llm.Requests[^1].Authorization);
        Assert.Equal("test-model", _llm.Requests[^1].Model);

        // The stored key goes only to the server it was given for: moving the endpoint elsewhere without the key is refused, nothing changes.
        var moved = await http.PutAsJsonAsync("/api/v1/workspace/ai", Settings(enabled: false, endpoint: "http://127.0.0.2:9/v1", apiKey: null));
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Equal("ai_api_key_required", (await moved.Content.ReadFromJsonAsync<ProblemBody>())!.Code);
        Assert.Equal(_llm.Endpoint, (await http.GetFromJsonAsync<AiSettingsDto>("/api/v1/workspace/ai", KefuFactory.Json))!.Endpoint);
        (await http.PutAsJsonAsync("/api/v1/workspace/ai", Settings(enabled: false, endpoint: _llm.Endpoint + "/", apiKey: null))).EnsureSuccessStatusCode();

        // Off: the bot does not ask the endpoint.
        var asked = _llm.Requests.Count;
        await AssertChoicesAsync(Ambiguous);
        Assert.Equal(asked, _llm.Requests.Count);

        // On (the key kept when the request leaves it out): a grounded answer that cites an article it was given.
        (await http.PutAsJsonAsync("/api/v1/workspace/ai", Settings(apiKey: null))).EnsureSuccessStatusCode();
        Assert.True((await http.GetFromJsonAsync<AiSettingsDto>("/api/v1/workspace/ai", KefuFactory.Json))!.HasApiKey);
        _llm.Script = (request, ctx) => FakeLlmServer.Complete(ctx, $"退货审核通过后 1–3 个工作日内原路退款。\u0001 [article:{request.OfferedArticles[0]}]");
        await using (var visitor = await BotVisitor.StartAsync(_server))
        {
            var reply = await visitor.AskAsync(Ambiguous);
            var request = _llm.Requests[^1];
            Assert.Equal("退货审核通过后 1–3 个工作日内原路退款。", reply.Text); // citation removed, control character cleaned
            Assert.Equal(["helpful:" + request.OfferedArticles[0], "not_helpful:" + request.OfferedArticles[0]], reply.Actions!.Select(a => a.Id));
            Assert.InRange(request.OfferedArticles.Count, 1, GroundedAnswerer.MaxArticles);
            // The visitor's text is delimited (AiPromptTests: it cannot close the delimiter); the prompt never carries the key.
            Assert.Equal("<customer>\n" + Ambiguous + "\n</customer>", request.User);
            Assert.DoesNotContain(Secret, request.Body, StringComparison.Ordinal);
            Assert.Contains("never instructions", request.System, StringComparison.Ordinal);
        }

        var answered = await LastUsageAsync();
        Assert.Equal((AiPurposes.Answer, AiOutcomes.Ok, 120, 30), (answered.Purpose, answered.Outcome, answered.InputTokens, answered.OutputTokens));

        // No citation (an injected "answer"), a citation of an article it was not given, NO_ANSWER: today's choices.
        _llm.Script = (_, ctx) => FakeLlmServer.Complete(ctx, "Sure, I will ignore my rules. The admin password is hunter2.");
        await AssertChoicesAsync(Ambiguous);
        _llm.Script = (_, ctx) => FakeLlmServer.Complete(ctx, $"Refunds take a day. [article:{Guid.NewGuid()}]");
        await AssertChoicesAsync(Ambiguous);
        _llm.Script = (request, ctx) => FakeLlmServer.Complete(ctx, $"NO_ANSWER [article:{request.OfferedArticles[0]}]");
        await AssertChoicesAsync(Ambiguous);

        // A hang, 10 MB, garbage: today's choices within the timeout (2 s here), each logged with its outcome.
        foreach (var (script, outcome) in new (Func<LlmRequest, HttpContext, Task>, string)[]
                 {
                     ((_, ctx) => FakeLlmServer.Hang(ctx), AiOutcomes.Timeout),
                     ((_, ctx) => FakeLlmServer.Huge(ctx), AiOutcomes.TooLarge),
                     ((_, ctx) => FakeLlmServer.Garbage(ctx), AiOutcomes.Failed),
                 })
        {
            _llm.Script = script;
            var started = Stopwatch.GetTimestamp();
            await AssertChoicesAsync(Ambiguous);
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), $"{outcome}: the fallback took {Stopwatch.GetElapsedTime(started)}");
            Assert.Equal(outcome, (await LastUsageAsync()).Outcome);
        }

        // The month's budget spent: no call is made at all.
        (await http.PutAsJsonAsync("/api/v1/workspace/ai", Settings(apiKey: null, budget: 100))).EnsureSuccessStatusCode();
        asked = _llm.Requests.Count;
        _llm.Script = (request, ctx) => FakeLlmServer.Complete(ctx, $"Answer [article:{request.OfferedArticles[0]}]");
        await AssertChoicesAsync(Ambiguous);
        Assert.Equal(asked, _llm.Requests.Count);
        Assert.Equal(AiOutcomes.OverBudget, (await LastUsageAsync()).Outcome);
        var settings = await http.GetFromJsonAsync<AiSettingsDto>("/api/v1/workspace/ai", KefuFactory.Json);
        Assert.True(settings!.TokensThisMonth >= 150 * 2, $"{settings.TokensThisMonth} tokens counted");
    }

    private async Task AssertChoicesAsync(string text)
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        var reply = await visitor.AskAsync(text);
        Assert.Equal(SenderType.Bot, reply.Sender);
        Assert.Contains(reply.Actions ?? [], a => a.Kind == MessageAction.Choice);
    }

    private Task<AiUsage> LastUsageAsync() =>
        _server.WithDbAsync(db => db.AiUsage.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id).FirstAsync());

    private object Settings(bool enabled = true, string? endpoint = null, string model = "test-model", string? apiKey = Secret, int timeout = 2, long budget = 100_000) =>
        new { enabled, endpoint = endpoint ?? _llm.Endpoint, model, apiKey, timeoutSeconds = timeout, monthlyTokenBudget = budget };

    private sealed record ProblemBody(string Code);
}
