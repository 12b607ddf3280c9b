using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Routing;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Notifications;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Notifications;

/// <summary>The bell's stored lines: written from the event lane, one per conversation and kind, read and pruned, each agent's own.</summary>
public sealed class NotificationTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task OfferTransferAndMessages_EachMakeOneLine_NamedAtReadTime_AndAgainRaisesTheLineInsteadOfAddingOne()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Offer, offerTimeoutSeconds = 120 });
        await using var a = await server.AgentAsync("Ann Offered");
        await using var visitor = await server.VisitorAsync("hello, anyone?");
        await a.Offers.WaitAsync(o => o.Conversation.Id == visitor.ConversationId);
        using var aHttp = await server.AgentHttpAsync(a.Token);

        var offered = await LinesUntilAsync(aHttp, page => page.Items.Any(i => i.Kind == "offer"));
        Assert.Equal(visitor.ConversationId, Assert.Single(offered.Items).ConversationId);
        Assert.Equal(1, offered.Unread);

        Assert.True((await a.Hub.InvokeAsync<HubResult<ConversationDto>>("AcceptOffer", visitor.ConversationId)).Ok);
        await SendAsync(visitor, "first");
        await SendAsync(visitor, "second");
        var messages = await LinesUntilAsync(aHttp, page => page.Items.Any(i => i is { Kind: "message", Count: 2 }));
        Assert.Equal(["message", "offer"], messages.Items.Select(i => i.Kind)); // newest first
        await server.WithDbAsync(db => db.Contacts.Where(c => c.Id == visitor.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Renamed Later")));
        Assert.All((await LinesAsync(aHttp)).Items, i => Assert.Equal("Renamed Later", i.ContactName));

        await using var b = await server.AgentAsync("Ben Receiver");
        using var bHttp = await server.AgentHttpAsync(b.Token);
        (await aHttp.PostAsJsonAsync($"/api/v1/conversations/{visitor.ConversationId}/transfer", new { agentId = b.Id, note = "over to you" })).EnsureSuccessStatusCode();
        var transferred = await LinesUntilAsync(bHttp, page => page.Items.Count == 1);
        var line = Assert.Single(transferred.Items);
        Assert.Equal(("transfer", "Ann Offered", 1), (line.Kind, line.ActorName, line.Count));

        await SendAsync(visitor, "third");
        await LinesUntilAsync(bHttp, page => page.Items.Any(i => i.Kind == "message"));
        Assert.Equal(2, (await LinesAsync(aHttp)).Items.Count); // A no longer holds it: no new line for A, and no duplicate
        Assert.Equal(4, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.ConversationId == visitor.ConversationId)));
    }

    [Fact]
    public async Task MarkRead_ByIds_ByConversation_OrAll_OnlyTheCallersOwn_AnotherAgentsIdIs404AndMarksNothing()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann");
        using var ben = await ws.PersonAsync(name: "Ben");
        var first = await AssignedChatAsync(ann.Id);
        var second = await AssignedChatAsync(ann.Id);
        var bens = await AssignedChatAsync(ben.Id);
        var annLines = await LinesUntilAsync(ann.Http, page => page.Unread == 2, unread: true);
        var benLine = Assert.Single((await LinesUntilAsync(ben.Http, page => page.Unread == 1)).Items);

        var foreign = await ann.Http.PostAsJsonAsync("/api/v1/notifications/read", new { ids = new[] { annLines.Items[0].Id, benLine.Id } });
        var none = await ann.Http.PostAsJsonAsync("/api/v1/notifications/read", new { });
        var both = await ann.Http.PostAsJsonAsync("/api/v1/notifications/read", new { all = true, ids = new[] { annLines.Items[0].Id } });

        await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "notification_not_found");
        await AssertProblemAsync(none, HttpStatusCode.BadRequest, "invalid_notification_request");
        await AssertProblemAsync(both, HttpStatusCode.BadRequest, "invalid_notification_request");
        Assert.Equal(2, (await LinesAsync(ann.Http, unread: true)).Total);
        Assert.Equal(1, (await LinesAsync(ben.Http, unread: true)).Total);

        var byId = await (await ann.Http.PostAsJsonAsync("/api/v1/notifications/read", new { ids = new[] { annLines.Items.Single(i => i.ConversationId == first).Id } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 1), (byId.GetProperty("marked").GetInt32(), byId.GetProperty("unread").GetInt32()));
        var unread = await LinesAsync(ann.Http, unread: true);
        Assert.Equal(second, Assert.Single(unread.Items).ConversationId);
        Assert.Equal(2, (await LinesAsync(ann.Http)).Total); // a read line stays in the bell

        (await ann.Http.PostAsJsonAsync("/api/v1/notifications/read", new { conversationId = second })).EnsureSuccessStatusCode();
        Assert.Equal(0, (await LinesAsync(ann.Http)).Unread);
        (await ben.Http.PostAsJsonAsync("/api/v1/notifications/read", new { all = true })).EnsureSuccessStatusCode();
        Assert.Equal(0, (await LinesAsync(ben.Http)).Unread);
        Assert.Equal(bens, Assert.Single((await LinesAsync(ben.Http)).Items).ConversationId);

        var bad = await ann.Http.GetAsync("/api/v1/notifications?limit=500");
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "invalid_notification_request");
    }

    [Fact]
    public async Task AReplayedEvent_CountsOnce_AndDoesNotMakeAReadLineUnread()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann");
        var conversation = await AssignedChatAsync(ann.Id);
        await LinesUntilAsync(ann.Http, page => page.Unread == 1);
        (await ann.Http.PostAsJsonAsync("/api/v1/notifications/read", new { all = true })).EnsureSuccessStatusCode();

        // The dispatcher delivers at least once: the same message event handed to the consumer again.
        var (tenant, inbox, contact, message) = await _server.WithDbAsync(async db =>
        {
            var c = await db.Conversations.SingleAsync(x => x.Id == conversation);
            var m = await db.Messages.SingleAsync(x => x.ConversationId == conversation && x.Seq == 2);
            return (c.TenantId, c.InboxId, c.ContactId, m.Id);
        });
        var replay = new MessageCreated(message, 2, SenderType.Visitor, ConversationHandler.Agent, inbox, contact)
        {
            TenantId = tenant, ConversationId = conversation, Actor = Actor.Visitor(contact), OccurredAt = DateTime.UtcNow,
        };
        var consumer = _server.Services.GetServices<IOutboxConsumer>().Single(c => c.Name == "notifications");
        await consumer.HandleAsync(replay, CancellationToken.None);
        await consumer.HandleAsync(replay, CancellationToken.None);

        var line = Assert.Single((await LinesAsync(ann.Http)).Items);
        Assert.Equal(1, line.Count);
        Assert.NotNull(line.ReadAt);
    }

    [Fact]
    public async Task Sweep_DeletesLinesOlderThan30Days_AndEachAgentsBeyondTheNewest200()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        var ws = new Workspace(server);
        using var busy = await ws.PersonAsync(name: "Busy");
        using var quiet = await ws.PersonAsync(name: "Quiet");
        var tenant = await ws.TenantIdAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        var conversations = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            conversations.Add(await ws.ConversationAsync());
        }

        // 250 lines for the busy agent (one per conversation and kind, so spread over conversations), 2 old ones for the quiet one.
        await server.WithDbAsync(async db =>
        {
            var seeded = new List<AgentNotification>();
            for (var i = 0; i < 250; i++)
            {
                var extra = await ExtraConversationAsync(db, conversations[0]);
                seeded.Add(Line(tenant, busy.Id, extra, NotificationKind.Message, now.AddMinutes(-i)));
            }

            seeded.Add(Line(tenant, quiet.Id, conversations[1], NotificationKind.Offer, now.AddDays(-31)));
            seeded.Add(Line(tenant, quiet.Id, conversations[1], NotificationKind.Message, now.AddDays(-29)));
            db.Notifications.AddRange(seeded);
            return await db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(1)); // the sweep's first pass
        await Wait.UntilAsync(async () => await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.AgentId == busy.Id)) == 200, "the busy agent's bell cut to 200");
        await Wait.UntilAsync(async () => await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.AgentId == quiet.Id)) == 1, "the month-old line gone");

        var oldestKept = await server.WithDbAsync(db => db.Notifications.Where(n => n.AgentId == busy.Id).MinAsync(n => n.UpdatedAt));
        Assert.Equal(now.AddMinutes(-199), oldestKept, TimeSpan.FromMilliseconds(1));
        Assert.Equal(NotificationKind.Message, await server.WithDbAsync(db => db.Notifications.Where(n => n.AgentId == quiet.Id).Select(n => n.Kind).SingleAsync()));
    }

    /// <summary>A visitor's conversation assigned to <paramref name="agent"/>, then a second visitor message in it: that one rings the bell.</summary>
    private async Task<Guid> AssignedChatAsync(Guid agent)
    {
        var session = await _server.NewVisitorAsync();
        await using var hub = await _server.ConnectVisitorAsync(session.Token);
        var first = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "a-" + Guid.NewGuid().ToString("N"), "hello", null));
        var id = first.Value!.ConversationId;
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssigneeId, agent).SetProperty(c => c.Handler, ConversationHandler.Agent)));
        var second = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "b-" + Guid.NewGuid().ToString("N"), "still there?", null));
        Assert.True(second.Ok, second.Error?.Code);
        return id;
    }

    private static AgentNotification Line(Guid tenant, Guid agent, Guid conversation, NotificationKind kind, DateTime at) => new()
    {
        Id = Guid.CreateVersion7(), TenantId = tenant, AgentId = agent, ConversationId = conversation, Kind = kind, Count = 1, CreatedAt = at, UpdatedAt = at,
    };

    /// <summary>A bare conversation row beside <paramref name="template"/> (same workspace, inbox and contact): lines need one each.</summary>
    private static async Task<Guid> ExtraConversationAsync(KefuDbContext db, Guid template)
    {
        var source = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == template);
        source.Id = Guid.CreateVersion7();
        db.Conversations.Add(source);
        return source.Id;
    }

    private static async Task SendAsync(QueuedVisitor visitor, string text)
    {
        var ack = await visitor.Hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "m-" + Guid.NewGuid().ToString("N")[..8], text, null));
        Assert.True(ack.Ok, ack.Error?.Code);
    }

    private static async Task<Page> LinesAsync(HttpClient http, bool unread = false) =>
        (await http.GetFromJsonAsync<Page>($"/api/v1/notifications?unread={unread.ToString().ToLowerInvariant()}", KefuFactory.Json))!;

    /// <summary>Lines are written by the durable lane, after the commit that caused them: poll until they are there.</summary>
    private static async Task<Page> LinesUntilAsync(HttpClient http, Func<Page, bool> condition, bool unread = false)
    {
        Page? page = null;
        await Wait.UntilAsync(async () => condition(page = await LinesAsync(http, unread)), "the bell's lines");
        return page!;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private sealed record LineDto(Guid Id, string Kind, Guid ConversationId, string ContactName, string? ActorName, int Count, DateTime UpdatedAt, DateTime? ReadAt);

    private sealed record Page(List<LineDto> Items, int Total, int Unread);
}
