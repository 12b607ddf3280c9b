using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Webhooks;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks end to end: created over HTTP, fed by the durable lane from a visitor's real message, POSTed to a real
/// receiver on 127.0.0.1 (allowed by the test-only <c>AllowedNetworks</c> setting), retried on a fake clock, replayed.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static KefuFactory Server(TimeProvider? clock = null, string timeout = "00:00:10") => new KefuFactory
    {
        Clock = clock,
        Settings = new Dictionary<string, string>
        {
            ["Kefu:Webhooks:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Kefu:Webhooks:Timeout"] = timeout,
        },
    }.Start();

    [Fact]
    public async Task Delivery_IsSignedOverTimestampAndBody_CarriesTheEventId_AndTheSecretIsShownOnce()
    {
        await using var server = Server();
        await using var receiver = await WebhookReceiver.StartAsync();
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var created = await CreateAsync(admin.Http, receiver.Url(), "conversation.created");
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("webhook").GetProperty("id").GetGuid();
        Assert.StartsWith("whsec_", secret);
        Assert.DoesNotContain(secret, await admin.Http.GetStringAsync($"/api/v1/webhooks/{id}"));
        Assert.DoesNotContain(secret, await admin.Http.GetStringAsync("/api/v1/webhooks"));
        Assert.DoesNotContain(secret, await server.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == id).Select(s => s.ProtectedSecret).SingleAsync()));

        var conversation = await ws.ConversationAsync(text: "hello webhooks");
        var received = await receiver.NextAsync();

        // The receiver's check, written here from docs/webhooks.md rather than with the server's code.
        var timestamp = received.Headers["Kefu-Timestamp"];
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + received.Body)));
        Assert.Equal(expected, received.Headers["Kefu-Signature"]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, CultureInfo.InvariantCulture), -300, 300);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(received.Headers["Kefu-Event-Id"], body.RootElement.GetProperty("id").GetString());
        Assert.Equal("conversation.created", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(conversation, body.RootElement.GetProperty("data").GetProperty("conversationId").GetGuid());
        Assert.DoesNotContain("hello webhooks", received.Body); // ids, never what people wrote
        Assert.StartsWith("application/json", received.Headers["Content-Type"]);

        await Wait.UntilAsync(async () => (await DeliveriesAsync(admin.Http, id))[0].GetProperty("status").GetString() == "succeeded", "the log showing the delivery succeeded");
        var log = await DeliveriesAsync(admin.Http, id);
        Assert.Single(log); // conversation.created only: the message.created of the same send was not subscribed to
        Assert.Equal(200, log[0].GetProperty("responseStatus").GetInt32());
        Assert.Equal("thanks", log[0].GetProperty("responseBody").GetString());
        await DeliveriesCountedAsync(server, "delivered");

        // At least once: the outbox handing the same event out again queues nothing more.
        var events = await server.WithDbAsync(async db => ConversationJournal.Read(await db.Outbox.SingleAsync(o => o.SubjectId == conversation && o.Type == ConversationCreated.Name)));
        await server.Services.GetServices<IOutboxConsumer>().Single(c => c.Name == "webhooks").HandleAllAsync(events, CancellationToken.None);
        Assert.Equal(1, await server.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == id)));

        // A rotated secret signs what comes next; the old one no longer verifies.
        var rotated = (await (await admin.Http.PostAsync($"/api/v1/webhooks/{id}/secret", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.NotEqual(secret, rotated);
        await ws.ConversationAsync(text: "second");
        var next = await receiver.NextAsync();
        var signed = next.Headers["Kefu-Timestamp"] + "." + next.Body;
        Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(rotated), Encoding.UTF8.GetBytes(signed))), next.Headers["Kefu-Signature"]);
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedWithGrowingJitteredBackoff_OnTheClock_UntilItAnswers()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = Server(clock);
        await using var receiver = await WebhookReceiver.StartAsync();
        var failures = 2;
        receiver.Answer = context =>
        {
            context.Response.StatusCode = Interlocked.Decrement(ref failures) >= 0 ? 500 : 200;
            return Task.CompletedTask;
        };
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var id = (await CreateAsync(admin.Http, receiver.Url(), "conversation.created")).GetProperty("webhook").GetProperty("id").GetGuid();
        await ws.ConversationAsync();
        var first = await receiver.NextAsync();

        var delivery = await AttemptedAsync(server, id, 1);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(500, delivery.ResponseStatus);
        Assert.InRange(delivery.NextAttemptAt!.Value - delivery.LastAttemptAt!.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        Assert.NotNull(await server.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == id).Select(s => s.FailingSince).SingleAsync()));

        clock.Advance(TimeSpan.FromSeconds(31));
        var second = await receiver.NextAsync();
        delivery = await AttemptedAsync(server, id, 2);
        Assert.InRange(delivery.NextAttemptAt!.Value - delivery.LastAttemptAt!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

        clock.Advance(TimeSpan.FromSeconds(61));
        var third = await receiver.NextAsync();
        delivery = await AttemptedAsync(server, id, 3);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(3, receiver.Count); // no attempt came early: each one waited for the clock
        Assert.Single(new[] { first, second, third }.Select(r => r.Headers["Kefu-Event-Id"]).Distinct());
        Assert.Null(await server.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == id).Select(s => s.FailingSince).SingleAsync()));
    }

    [Fact]
    public async Task ReceiverFailingForADay_DeliveryDies_WebhookIsPaused_AdminsAreTold_AndReplayAfterResumeDelivers()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = Server(clock);
        await using var receiver = await WebhookReceiver.StartAsync();
        var down = true;
        receiver.Answer = context =>
        {
            context.Response.StatusCode = Volatile.Read(ref down) ? 503 : 204;
            return Task.CompletedTask;
        };
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();
        var id = (await CreateAsync(admin.Http, receiver.Url(), "conversation.created")).GetProperty("webhook").GetProperty("id").GetGuid();
        await ws.ConversationAsync();
        await receiver.NextAsync();
        await AttemptedAsync(server, id, 1);

        clock.Advance(TimeSpan.FromHours(25));
        await receiver.NextAsync();
        var dead = await AttemptedAsync(server, id, 2);
        Assert.Equal(WebhookDeliveryStatus.Dead, dead.Status);
        Assert.Null(dead.NextAttemptAt);
        await DeliveriesCountedAsync(server, "failed");
        await DeliveriesCountedAsync(server, "dead");
        // A day later on this clock the admin's bearer token has expired: sign in again.
        using var later = await server.AgentHttpAsync(await server.AgentTokenAsync(admin.Email, KefuFactory.AdminPassword));
        var webhook = await later.GetFromJsonAsync<WebhookDto>($"/api/v1/webhooks/{id}", KefuFactory.Json);
        Assert.Equal(WebhookStatus.PausedFailing, webhook!.Status);

        var alerts = server.Services.GetRequiredService<WebhookPausedAlert>();
        var tenant = await ws.TenantIdAsync();
        Assert.Equal(id, Assert.Single(await alerts.ListAsync(new AgentIdentity(admin.Id, tenant, "Admin", AgentRole.Admin), CancellationToken.None)).Id);
        Assert.Empty(await alerts.ListAsync(new AgentIdentity(agent.Id, tenant, "Agent", AgentRole.Agent), CancellationToken.None));

        // Paused: new events are not queued, and a replay waits for the admin to resume it.
        var duringPause = await ws.ConversationAsync();
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.Outbox.AnyAsync(o => o.SubjectId == duringPause && o.Type == ConversationCreated.Name && o.ProcessedAt != null)),
            "the durable lane handling the event of the paused time");
        Volatile.Write(ref down, false);
        var replayed = await later.PostAsync($"/api/v1/webhooks/{id}/deliveries/replay-failed", null);
        Assert.Equal(1, (await replayed.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        Assert.Equal(2, receiver.Count);

        var resume = await later.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { url = receiver.Url(), events = new[] { "conversation.created" }, enabled = true });
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await receiver.NextAsync();
        var delivered = await AttemptedAsync(server, id, 1);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivered.Status);
        Assert.Equal(dead.EventId, delivered.EventId);
        Assert.Empty(await alerts.ListAsync(new AgentIdentity(admin.Id, tenant, "Admin", AgentRole.Admin), CancellationToken.None));
        Assert.Equal(1, await server.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == id)));

        // Replaying one delivery sends the same event again, whatever its outcome.
        var one = await later.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivered.Id}/replay", null);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(dead.EventId.ToString(), (await receiver.NextAsync()).Headers["Kefu-Event-Id"]);
    }

    [Fact]
    public async Task ReceiverThatNeverAnswers_TimesOut_AndHoldsOnlyItsOwnWorkspace()
    {
        await using var server = Server(timeout: "00:00:03");
        await using var hanging = await WebhookReceiver.StartAsync();
        await using var quick = await WebhookReceiver.StartAsync();
        hanging.Answer = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var slow = (await CreateAsync(admin.Http, hanging.Url(), "conversation.created")).GetProperty("webhook").GetProperty("id").GetGuid();

        var (otherKey, otherEmail) = await server.CreateOtherTenantAsync();
        await server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var otherAdmin = await server.AgentHttpAsync(await server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        await CreateAsync(otherAdmin, quick.Url(), "conversation.created");

        for (var i = 0; i < 3; i++)
        {
            await ws.ConversationAsync();
        }

        await hanging.NextAsync();
        await hanging.NextAsync();
        var started = DateTime.UtcNow;
        await ws.ConversationAsync(key: otherKey);
        await quick.NextAsync(seconds: 2.5); // well before the hanging receiver's attempts time out
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5));
        Assert.Equal(2, hanging.Count); // two in flight for the slow workspace, the third waits for a free slot

        var timedOut = await AttemptedAsync(server, slow, 1);
        Assert.Null(timedOut.ResponseStatus);
        Assert.Contains("within 3 s", timedOut.Error);
        Assert.InRange(timedOut.DurationMs!.Value, 2_900, 9_000);
        await Wait.UntilAsync(() => Task.FromResult(hanging.Aborted >= 2), "the receiver seeing both connections dropped");
    }

    [Fact]
    public async Task ReceiverThatStreamsForever_IsCutAt64KB_AndARedirectIsNotFollowed()
    {
        await using var server = Server();
        await using var receiver = await WebhookReceiver.StartAsync();
        var written = 0L;
        receiver.Answer = async context =>
        {
            if (context.Request.Path == "/redirect")
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "http://169.254.169.254/latest/meta-data/";
                return;
            }

            var chunk = Encoding.ASCII.GetBytes(new string('x', 8192));
            while (true)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                Interlocked.Add(ref written, chunk.Length);
            }
        };
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var streaming = (await CreateAsync(admin.Http, receiver.Url("/stream"), "conversation.created")).GetProperty("webhook").GetProperty("id").GetGuid();
        var redirect = (await CreateAsync(admin.Http, receiver.Url("/redirect"), "conversation.created")).GetProperty("webhook").GetProperty("id").GetGuid();
        await ws.ConversationAsync();

        var cut = await AttemptedAsync(server, streaming, 1);
        Assert.Equal(200, cut.ResponseStatus);
        Assert.Contains("longer than 64 KB", cut.Error);
        Assert.Equal(WebhookRules.StoredResponseChars, cut.ResponseBody!.Length);
        Assert.True(cut.DurationMs < 5_000, $"took {cut.DurationMs} ms");
        await Wait.UntilAsync(() => Task.FromResult(receiver.Aborted >= 1), "the receiver's endless answer being dropped");

        var redirected = await AttemptedAsync(server, redirect, 1);
        Assert.Equal(302, redirected.ResponseStatus);
        Assert.Equal(WebhookDeliveryStatus.Pending, redirected.Status); // a failure, retried later like any other
        Assert.Equal("Redirect not followed.", redirected.Error);
        Assert.Equal(2, receiver.Count); // the stream and the redirect; nothing followed the Location
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient admin, string url, params string[] events)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events, description = "Test receiver" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits for <c>/metrics</c> (scraped from loopback, as Prometheus would) to count an attempt with <paramref name="outcome"/>.</summary>
    internal static async Task DeliveriesCountedAsync(KefuFactory server, string outcome)
    {
        using var http = server.Http();
        var label = $"outcome=\"{outcome}\"";
        await Wait.UntilAsync(async () => (await http.GetStringAsync("/metrics")).Split('\n').Any(l =>
                l.StartsWith("kefu_webhook_deliveries_total{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal)),
            $"/metrics counting a webhook delivery {outcome}");
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient admin, Guid id) =>
        [.. (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/deliveries")).GetProperty("items").EnumerateArray()];

    /// <summary>The webhook's single delivery once it has <paramref name="attempts"/> attempts recorded.</summary>
    private static async Task<WebhookDelivery> AttemptedAsync(KefuFactory server, Guid webhook, int attempts)
    {
        WebhookDelivery? delivery = null;
        await Wait.UntilAsync(async () =>
        {
            delivery = await server.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == webhook && d.LastAttemptAt != null)
                .OrderBy(d => d.Id).FirstOrDefaultAsync());
            return delivery?.Attempts == attempts; // one statement records an attempt: its count and its outcome together
        }, $"attempt {attempts} recorded");
        return delivery!;
    }
}
