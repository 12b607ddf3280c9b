using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Webhooks;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Automation;

/// <summary>
/// The language and contact-attribute conditions and the canned-reply and webhook actions, through a real server: the
/// rule saved over HTTP, the contact edited over HTTP, the visitor writing through the hub, the rule running on the
/// durable lane, the canned reply sent by the message writer and the webhook POSTed to a receiver on 127.0.0.1.
/// </summary>
public sealed class AutomationActionTests
{
    [Fact]
    public async Task AChineseGoldContact_GetsTheFilledCannedReply_AndTheRulesWebhook_OthersGetNothing_AndBadConditionsAreRefused()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:Webhooks:AllowedNetworks:0"] = "127.0.0.1/32" } }.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var tier = "tier" + Guid.NewGuid().ToString("N")[..6];
        (await admin.Http.PostAsJsonAsync("/api/v1/contact-attributes", new { key = tier, labelEn = "Tier", labelZh = "等级", type = "list", options = new[] { "gold", "silver" } })).EnsureSuccessStatusCode();
        var reply = await admin.Http.PostAsJsonAsync("/api/v1/canned-replies", new
        {
            title = "VIP welcome", shortcut = "/vip" + Guid.NewGuid().ToString("N")[..6], scope = "shared",
            textEn = "Hello {{contact.name}}, about {{conversation.id}} @(1+1)", textZh = "{{contact.name}}您好",
        });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        var replyId = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // The admin's own personal reply: a rule runs as no one, so it could never send it.
        var personal = await admin.Http.PostAsJsonAsync("/api/v1/canned-replies", new
        {
            title = "Mine", shortcut = "/mine" + Guid.NewGuid().ToString("N")[..6], scope = "personal", textEn = "Just mine", textZh = "我的",
        });
        Assert.True(personal.IsSuccessStatusCode, await personal.Content.ReadAsStringAsync());
        var personalId = (await personal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var hook = (await WebhookDeliveryTests.CreateAsync(admin.Http, receiver.Url(), "conversation.resolved")).GetProperty("webhook").GetProperty("id").GetGuid();

        // Refused at save time, nothing stored: an unknown attribute (422 with its own code), an operator its type cannot take,
        // a value not of its type, a language that is no tag, a score outside a survey rule, a canned reply or webhook of nobody.
        var before = await server.WithDbAsync(db => db.AutomationRules.CountAsync());
        var tag = new[] { new { type = "add_tags", value = "x" } };
        (object Body, HttpStatusCode Status, string Code, string Field)[] refused =
        [
            (Rule([new { field = "attribute", key = "nope" + tier, @operator = "equals", value = "gold" }], tag), HttpStatusCode.UnprocessableEntity, "unknown_attribute", "conditions[0].key"),
            (Rule([new { field = "attribute", key = tier, @operator = "contains", value = "gold" }], tag), HttpStatusCode.BadRequest, "invalid_automation", "conditions[0].operator"),
            (Rule([new { field = "attribute", key = tier, @operator = "equals", value = "platinum" }], tag), HttpStatusCode.BadRequest, "invalid_automation", "conditions[0].value"),
            (Rule([new { field = "language", key = (string?)null, @operator = "equals", value = "中文" }], tag), HttpStatusCode.BadRequest, "invalid_automation", "conditions[0].value"),
            (Rule([new { field = "score", key = (string?)null, @operator = "at_most", value = "2" }], tag), HttpStatusCode.BadRequest, "invalid_automation", "conditions[0].field"),
            (Rule([], new[] { new { type = "send_canned_reply", value = Guid.NewGuid().ToString() } }), HttpStatusCode.BadRequest, "invalid_automation", "actions[0].value"),
            (Rule([], new[] { new { type = "send_canned_reply", value = personalId.ToString() } }), HttpStatusCode.BadRequest, "invalid_automation", "actions[0].value"),
            (Rule([], new[] { new { type = "send_webhook", value = Guid.NewGuid().ToString() } }), HttpStatusCode.BadRequest, "invalid_automation", "actions[0].value"),
        ];
        foreach (var (body, status, code, field) in refused)
        {
            var response = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", body);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((status, code, field), (response.StatusCode, problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        }

        Assert.Equal(before, await server.WithDbAsync(db => db.AutomationRules.CountAsync()));

        var word = "vipcheck" + Guid.NewGuid().ToString("N")[..6];
        var saved = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name = "Gold in Chinese", trigger = "message_created",
            conditions = new object[]
            {
                new { field = "text", @operator = "contains", value = word },
                new { field = "language", @operator = "equals", value = "zh" },
                new { field = "attribute", key = tier, @operator = "equals", value = "GOLD" },
            },
            actions = new[] { new { type = "send_canned_reply", value = replyId.ToString() }, new { type = "send_webhook", value = hook.ToString() } },
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var savedRule = await saved.Content.ReadFromJsonAsync<JsonElement>();
        var ruleId = savedRule.GetProperty("id").GetGuid();
        Assert.Equal(tier, savedRule.GetProperty("conditions")[2].GetProperty("key").GetString());

        var gold = await VisitorAsync(server, admin.Http, "Mei", "zh-CN", tier, "gold");
        var silver = await VisitorAsync(server, admin.Http, "Sam", "zh-CN", tier, "silver");
        var english = await VisitorAsync(server, admin.Http, "Ann", "en", tier, "gold");
        foreach (var visitor in new[] { silver, english, gold })
        {
            await visitor.SendAsync($"hello {word}");
        }

        // The gold Chinese contact: the canned reply filled as the composer fills it (English: they wrote in English), sent
        // by the durable path, both actions in the timeline under the rule's name.
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == gold.ConversationId && e.Type == AutomationApplied.Name)).ContinueWith(t => t.Result == 2), "both actions recorded");
        var sent = await server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == gold.ConversationId && m.SenderType == SenderType.Bot).Select(m => m.Text).SingleAsync());
        Assert.Equal($"Hello Mei, about {gold.ConversationId} @(1+1)", sent); // filled, nothing evaluated
        var outcomes = await server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == gold.ConversationId && e.Type == AutomationApplied.Name).OrderBy(e => e.Id).Select(e => e.Data!).ToListAsync());
        Assert.All(outcomes, o => Assert.Contains("\"outcome\":\"done\"", o));
        Assert.Contains("send_canned_reply", outcomes[0]);
        Assert.Contains("Gold in Chinese", outcomes[1]);

        // The webhook got the rule's event although it subscribed to conversation.resolved only: ids, no text.
        var received = await receiver.NextAsync();
        using (var body = JsonDocument.Parse(received.Body))
        {
            Assert.Equal(AutomationWebhookRequested.Name, body.RootElement.GetProperty("type").GetString());
            var data = body.RootElement.GetProperty("data");
            Assert.Equal((gold.ConversationId, ruleId, hook), (data.GetProperty("conversationId").GetGuid(), data.GetProperty("ruleId").GetGuid(), data.GetProperty("subscriptionId").GetGuid()));
            Assert.DoesNotContain("Gold in Chinese", received.Body);
        }

        // The others match the text but not the language or the attribute: nothing ran for them.
        var last = await server.WithDbAsync(db => db.Outbox.MaxAsync(o => o.Id));
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.Outbox.Where(o => o.Id <= last).AllAsync(o => o.ProcessedAt != null)), "the durable lane to drain");
        foreach (var other in new[] { silver, english })
        {
            Assert.False(await server.WithDbAsync(db => db.ConversationEvents.AnyAsync(e => e.ConversationId == other.ConversationId && e.Type == AutomationApplied.Name)));
        }

        Assert.Equal(1, receiver.Count);
        Assert.DoesNotContain(AutomationWebhookRequested.Name, await admin.Http.GetStringAsync("/api/v1/webhooks/events"), StringComparison.Ordinal); // not subscribable
        foreach (var visitor in new[] { gold, silver, english })
        {
            await visitor.Hub.DisposeAsync();
        }
    }

    private static object Rule(object[] conditions, object[] actions) => new { name = "Refused", trigger = "message_created", conditions, actions };

    /// <summary>A visitor who wrote once; their contact then given a name, a language and an attribute by an agent over HTTP.</summary>
    private static async Task<Visitor> VisitorAsync(KefuFactory server, HttpClient admin, string name, string language, string key, string value)
    {
        var session = await server.NewVisitorAsync();
        var hub = await server.ConnectVisitorAsync(session.Token);
        var visitor = new Visitor(hub, Guid.Empty);
        var conversation = await visitor.SendAsync("hi");
        var update = await admin.PutAsJsonAsync($"/api/v1/contacts/{session.ContactId}", new
        {
            name, language, attributes = new Dictionary<string, string> { [key] = value },
        });
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        return visitor with { ConversationId = conversation };
    }

    private sealed record Visitor(HubConnection Hub, Guid ConversationId)
    {
        public async Task<Guid> SendAsync(string text)
        {
            var ack = await Hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), text, null));
            Assert.True(ack.Ok);
            return ack.Value!.ConversationId;
        }
    }
}
