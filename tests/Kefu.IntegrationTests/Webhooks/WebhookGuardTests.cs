using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Webhooks;

/// <summary>
/// The bad input of issue 15 against a server without the test allowlist: addresses that are not public are refused
/// when saved and again on the address actually connected; other workspaces' webhooks are "not found"; lists refuse a
/// page size out of range. Each refusal is problem details naming the field, and nothing is stored or sent.
/// </summary>
public sealed class WebhookGuardTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    public static TheoryData<string> NotPublic =>
    [
        "http://127.0.0.1/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data/", "http://0x7f.1/", "http://2130706433/",
        "http://0177.0.0.1/", "http://127.1/", "file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)", "http://localhost:8080/",
        "http://10.0.0.8/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/", "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://user:pass@example.com/", "https://", "not a url", "",
    ];

    [Theory]
    [MemberData(nameof(NotPublic))]
    public async Task Create_RefusesAnAddressThatIsNotPublic_AndStoresNothing(string url)
    {
        using var admin = await new Workspace(_server).PersonAsync(AgentRole.Admin);
        var before = await _server.WithDbAsync(db => db.WebhookSubscriptions.CountAsync());
        var response = await admin.Http.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "conversation.created" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_webhook", problem.GetProperty("code").GetString());
        Assert.Equal("url", problem.GetProperty("field").GetString());
        Assert.Equal(before, await _server.WithDbAsync(db => db.WebhookSubscriptions.CountAsync()));
    }

    [Fact]
    public async Task Create_WithUnknownOrNoEvents_OrALongDescription_IsRefusedOnThatField()
    {
        using var admin = await new Workspace(_server).PersonAsync(AgentRole.Admin);
        foreach (var (body, field) in new (object, string)[]
        {
            (new { url = "https://example.com/hook", events = new[] { "conversation.exploded" } }, "events"),
            (new { url = "https://example.com/hook", events = Array.Empty<string>() }, "events"),
            (new { url = "https://example.com/hook", events = new[] { "conversation.created" }, description = new string('d', 201) }, "description"),
        })
        {
            var response = await admin.Http.PostAsJsonAsync("/api/v1/webhooks", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task AStoredWebhookWhoseNameNowResolvesToLoopback_IsRefusedAtConnect_AndTheReceiverGetsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var ws = new Workspace(_server);
        var tenant = await ws.TenantIdAsync();

        // As if the name had resolved to a public address when saved and to 127.0.0.1 now (DNS rebinding): written
        // directly, since the API refuses it (the theory above).
        var webhook = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, Url = $"http://localhost:{receiver.Port}/hook", Events = "conversation.created",
            ProtectedSecret = _server.Services.GetRequiredService<WebhookSecrets>().Protect(WebhookSecrets.New()), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        await _server.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(webhook);
            return await db.SaveChangesAsync();
        });
        _server.Services.GetRequiredService<WebhookSubscriptionCache>().Invalidate();

        await ws.ConversationAsync();
        WebhookDelivery? delivery = null;
        await Wait.UntilAsync(async () => (delivery = await _server.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.SubscriptionId == webhook.Id && d.Attempts == 1))) is not null,
            "the attempt being refused");
        Assert.Null(delivery!.ResponseStatus);
        Assert.Contains("not public", delivery.Error);
        Assert.Equal(0, receiver.Count);
        await WebhookDeliveryTests.DeliveriesCountedAsync(_server, "refused");
        await _server.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == webhook.Id).ExecuteDeleteAsync());
        _server.Services.GetRequiredService<WebhookSubscriptionCache>().Invalidate();
    }

    [Fact]
    public async Task AnotherWorkspacesWebhook_IsNotFound_AndPageSizesOutOfRangeAreRefused()
    {
        var ws = new Workspace(_server);
        var tenant = await ws.TenantIdAsync();
        var webhook = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, Url = "https://example.com/hook", Events = "conversation.resolved",
            ProtectedSecret = "x", Status = WebhookStatus.Paused, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        await _server.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(webhook);
            return await db.SaveChangesAsync();
        });
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));

        var body = new { url = "https://example.com/other", events = new[] { "conversation.created" }, enabled = true };
        foreach (var response in new[]
        {
            await foreign.GetAsync($"/api/v1/webhooks/{webhook.Id}"),
            await foreign.PutAsJsonAsync($"/api/v1/webhooks/{webhook.Id}", body),
            await foreign.DeleteAsync($"/api/v1/webhooks/{webhook.Id}"),
            await foreign.PostAsync($"/api/v1/webhooks/{webhook.Id}/secret", null),
            await foreign.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries"),
            await foreign.PostAsync($"/api/v1/webhooks/{webhook.Id}/deliveries/replay-failed", null),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.DoesNotContain(webhook.Id.ToString(), await foreign.GetStringAsync("/api/v1/webhooks"));
        var unchanged = await _server.WithDbAsync(db => db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == webhook.Id));
        Assert.Equal(("https://example.com/hook", WebhookStatus.Paused, "x"), (unchanged.Url, unchanged.Status, unchanged.ProtectedSecret));

        using var admin = await ws.PersonAsync(AgentRole.Admin);
        foreach (var url in new[] { "/api/v1/webhooks?pageSize=1000000", "/api/v1/webhooks?pageSize=0", $"/api/v1/webhooks/{webhook.Id}/deliveries?pageSize=1000000",
                     $"/api/v1/webhooks/{webhook.Id}/deliveries?status=exploded", "/api/v1/webhooks?cursor=abc" })
        {
            var response = await admin.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_webhook", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        await _server.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == webhook.Id).ExecuteDeleteAsync());
    }
}
