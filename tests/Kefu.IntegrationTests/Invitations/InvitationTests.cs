using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Invitations;
using Kefu.Server.Features.Invitations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Invitations;

/// <summary>
/// Proactive invitations through real HTTP, the visitor hub and the database: rules saved and refused, the server's
/// evaluation of a widget's check-in with its frequency cap, dismissals respected, conversions counted, the live visitor
/// list and an agent's invitation pushed to the widget (docs/invitations.md).
/// </summary>
public sealed class InvitationTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    private static object ValidRule(Guid? id = null, string url = "/pricing") =>
        new { id, name = "Pricing", urlPattern = url, textEn = "Questions about plans?", textZh = "对套餐有疑问吗？", capMinutes = 10, dismissMinutes = 60 };

    [Fact]
    public async Task ARule_InvitesOnceWithinTheCap_RespectsADismissal_AndCountsShownAcceptedDismissedConverted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        using var admin = await server.AgentHttpAsync();
        var inboxId = await DemoInboxAsync(server);
        var saved = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/invitation-rules", new { rules = new[] { ValidRule() } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var ruleId = (await saved.Content.ReadFromJsonAsync<InvitationRulesDto>(KefuFactory.Json))!.Rules.Single().Id;

        var session = await server.NewVisitorAsync();
        using var visitor = Bearer(server.Http(), session.Token);
        Assert.Null((await CheckAsync(visitor, "https://shop.example/home")).Invitation);
        var first = (await CheckAsync(visitor, "https://shop.example/pricing?plan=pro")).Invitation;
        Assert.Equal(("Questions about plans?", "对套餐有疑问吗？", false), (first?.TextEn, first?.TextZh, first?.FromAgent));
        // Within the cap: the same page again, or a second tab, shows nothing.
        Assert.Null((await CheckAsync(visitor, "https://shop.example/pricing")).Invitation);

        Assert.Equal(HttpStatusCode.NoContent, (await visitor.PostAsync($"/api/v1/widget/invitations/{first!.Id}/dismiss", null)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null((await CheckAsync(visitor, "https://shop.example/pricing")).Invitation); // past the cap, still within the dismissal's pause
        clock.Advance(TimeSpan.FromMinutes(50));
        var second = (await CheckAsync(visitor, "https://shop.example/pricing")).Invitation;
        Assert.NotNull(second);

        Assert.Equal(HttpStatusCode.NoContent, (await visitor.PostAsync($"/api/v1/widget/invitations/{second.Id}/accept", null)).StatusCode);
        // The first answer counts: a dismissal after the accept changes nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await visitor.PostAsync($"/api/v1/widget/invitations/{second.Id}/dismiss", null)).StatusCode);
        await using var hub = await server.ConnectVisitorAsync(session.Token);
        var sent = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "inv-1", "What does Pro cost?", null));
        Assert.True(sent.Ok);

        // A conversation is open: no invitation, however long after.
        clock.Advance(TimeSpan.FromHours(3));
        Assert.Null((await CheckAsync(visitor, "https://shop.example/pricing")).Invitation);

        // Another visitor's invitation is not this one's to answer.
        using var stranger = Bearer(server.Http(), (await server.NewVisitorAsync()).Token);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/widget/invitations/{second.Id}/accept", null)).StatusCode);

        using var later = await server.AgentHttpAsync(); // the first token expired while the clock moved on
        var counts = (await later.GetFromJsonAsync<InvitationRulesDto>($"/api/v1/inboxes/{inboxId}/invitation-rules", KefuFactory.Json))!.Rules.Single(r => r.Id == ruleId).Counts;
        Assert.Equal(new InvitationCounts(Shown: 2, Accepted: 1, Dismissed: 1, Converted: 1), counts);
    }

    [Fact]
    public async Task BadRules_AreRefusedWith422AndTheField_AnotherWorkspacesInboxOrRuleIs404_AndNothingIsStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var inboxId = await DemoInboxAsync(_server);
        var (otherKey, _) = await _server.CreateOtherTenantAsync();
        var otherInbox = await _server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == otherKey).Select(i => new { i.Id, i.TenantId }).SingleAsync());
        var foreignRule = new InvitationRule { Id = Guid.CreateVersion7(), TenantId = otherInbox.TenantId, InboxId = otherInbox.Id, Name = "Theirs", TextEn = "x", TextZh = "x", CapMinutes = 1 };
        await _server.WithDbAsync(db =>
        {
            db.Add(foreignRule);
            return db.SaveChangesAsync();
        });
        var before = await _server.WithDbAsync(db => db.Set<InvitationRule>().CountAsync(r => r.InboxId == inboxId));

        var bad = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/invitation-rules",
            new { rules = new[] { ValidRule(), new { id = (Guid?)null, name = "Regex", urlPattern = "/(a+)+$ x", textEn = "Hi", textZh = "你好", capMinutes = 10, dismissMinutes = 0 } } });
        var theirInbox = await admin.PutAsJsonAsync($"/api/v1/inboxes/{otherInbox.Id}/invitation-rules", new { rules = new[] { ValidRule() } });
        var theirRule = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/invitation-rules", new { rules = new[] { ValidRule(foreignRule.Id) } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("invalid_invitation_rule", "rules[1].urlPattern"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, theirInbox.StatusCode);
        Assert.Equal("invitation_rule_not_found", (await theirRule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/inboxes/{otherInbox.Id}/invitation-rules")).StatusCode);
        Assert.Equal(before, await _server.WithDbAsync(db => db.Set<InvitationRule>().CountAsync(r => r.InboxId == inboxId)));
        Assert.Equal("Theirs", await _server.WithDbAsync(db => db.Set<InvitationRule>().Where(r => r.Id == foreignRule.Id).Select(r => r.Name).SingleAsync()));
    }

    [Fact]
    public async Task AnAgent_SeesAVisitorBrowsing_AndTheirInvitationReachesTheWidget_AnotherWorkspacesVisitorIs404()
    {
        using var admin = await _server.AgentHttpAsync();
        var session = await _server.NewVisitorAsync();
        using var visitor = Bearer(_server.Http(), session.Token);
        await using var hub = await _server.ConnectVisitorAsync(session.Token);
        var pushed = new Events<InvitationDto>(hub, "Invitation");
        await CheckAsync(visitor, "https://shop.example/home");
        await CheckAsync(visitor, "https://shop.example/cart");

        var online = await admin.GetFromJsonAsync<List<OnlineVisitorDto>>("/api/v1/visitors/online", KefuFactory.Json);
        var me = Assert.Single(online!, v => v.ContactId == session.ContactId);
        Assert.Equal(("https://shop.example/cart", 2), (me.Url, me.PagesThisVisit));

        var empty = await admin.PostAsJsonAsync($"/api/v1/visitors/{session.ContactId}/invitations", new { text = "  " });
        Assert.Equal("invalid_invitation_text", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var invited = await admin.PostAsJsonAsync($"/api/v1/visitors/{session.ContactId}/invitations", new { text = "Need a hand with your cart? <b>Ask me</b>" });
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var got = await pushed.WaitAsync(i => i.FromAgent);
        Assert.Equal("Need a hand with your cart? <b>Ask me</b>", got.TextEn);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Set<InvitationShow>().CountAsync(s => s.ContactId == session.ContactId && s.AgentId != null)));

        // Another workspace's browsing visitor is neither listed nor reachable.
        var (otherKey, _) = await _server.CreateOtherTenantAsync();
        var foreign = await _server.NewVisitorAsync(otherKey);
        using var foreignVisitor = Bearer(_server.Http(), foreign.Token);
        await CheckAsync(foreignVisitor, "https://other.example/");
        Assert.DoesNotContain(await admin.GetFromJsonAsync<List<OnlineVisitorDto>>("/api/v1/visitors/online", KefuFactory.Json) ?? [], v => v.ContactId == foreign.ContactId);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/v1/visitors/{foreign.ContactId}/invitations", new { text = "Hi" })).StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.Set<InvitationShow>().CountAsync(s => s.ContactId == foreign.ContactId)));
    }

    [Fact]
    public async Task AVisitorCheckingInFarMoreOftenThanAWidget_Gets429_WithoutWork()
    {
        var session = await _server.NewVisitorAsync();
        using var visitor = Bearer(_server.Http(), session.Token);
        for (var i = 0; i < OnlineVisitors.ChecksPerMinute; i++)
        {
            await CheckAsync(visitor, $"https://shop.example/page-{i}");
        }

        var refused = await visitor.PostAsJsonAsync("/api/v1/widget/invitations/check", new { url = "https://shop.example/more", secondsOnPage = 0, language = "en" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    private static async Task<InvitationCheckResult> CheckAsync(HttpClient visitor, string url)
    {
        var response = await visitor.PostAsJsonAsync("/api/v1/widget/invitations/check", new { url, secondsOnPage = 0, language = "en" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InvitationCheckResult>(KefuFactory.Json))!;
    }

    private static Task<Guid> DemoInboxAsync(KefuFactory server) =>
        server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());

    private static HttpClient Bearer(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
