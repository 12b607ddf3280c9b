using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.Server.Features.Channels.WeChat;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels.WeChat;

/// <summary>
/// An Official Account conversation end to end, through the callback as WeChat sends it (safe mode), the durable lane
/// and the local double of WeChat's API: greeting, bot answer with numbered choices, hand-off by number, the agent's
/// reply to the right openid, token expiry, the closed 48-hour window and WeChat's retries.
/// </summary>
public sealed class WeChatConversationTests(WeChatRig rig) : IClassFixture<WeChatRig>
{
    [Fact]
    public async Task Subscribe_AnswersWithTheInboxGreeting_AndStoresNothing()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var appearance = await admin.PutAsJsonAsync($"/api/v1/inboxes/{account.InboxId}/appearance", new { color = "#07c160", position = "right", greeting = "欢迎关注 Welcome <friend> & co" });
        Assert.Equal(HttpStatusCode.OK, appearance.StatusCode);

        var response = await account.EventAsync("o_subscriber", "subscribe");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = account.ReadReply(await response.Content.ReadAsStringAsync());
        Assert.Equal("o_subscriber", reply["ToUserName"]);
        Assert.Equal("text", reply["MsgType"]);
        Assert.Equal("欢迎关注 Welcome <friend> & co", reply["Content"]);
        Assert.Equal(0, await rig.Server.WithDbAsync(db => db.Conversations.CountAsync(c => c.InboxId == account.InboxId)));
    }

    [Fact]
    public async Task Text_TheBotAnswersThroughTheApi_HandsOffWithNobodyOnline_ThenTheAgentsReplyReachesTheOpenId()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/inboxes/{account.InboxId}/bot", new { enabled = true })).StatusCode);
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];

        var sent = await account.TextAsync(openId, "qwzx frobnicate the plumbus");
        Assert.Equal("success", await sent.Content.ReadAsStringAsync());

        // Nobody is online in this workspace: the bot says so (its message goes out through the customer-service API) and hands off.
        await rig.Api.WaitForAsync(openId, text => text.Length > 0);
        var conversation = await rig.Server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.InboxId == account.InboxId));
        await Infrastructure.Wait.UntilAsync(() => rig.Server.WithDbAsync(db =>
            db.Conversations.AnyAsync(c => c.Id == conversation.Id && c.Handler != ConversationHandler.Bot)), "the bot to hand the conversation off");

        var reply = await admin.PostAsJsonAsync($"/api/v1/conversations/{conversation.Id}/messages", new { clientMessageId = "agent-1", text = "Hi, this is Lin from support." });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var delivered = await rig.Api.WaitForAsync(openId, text => text == "Hi, this is Lin from support.");
        Assert.Equal("text", delivered.MsgType);
        var messageId = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetGuid();
        await Infrastructure.Wait.UntilAsync(() => rig.Server.WithDbAsync(db =>
            db.Set<WeChatDelivery>().AnyAsync(d => d.MessageId == messageId && d.State == WeChatDeliveryState.Sent)), "the delivery to be recorded");
    }

    [Fact]
    public async Task AnExpiredToken_MidConversation_IsRefreshedOnce_AndTheReplyDelivered()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];
        await account.TextAsync(openId, "hello");
        var conversation = await rig.Server.WithDbAsync(db => db.Conversations.Where(c => c.InboxId == account.InboxId).Select(c => c.Id).SingleAsync());
        await admin.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = "before", text = "first reply" });
        await rig.Api.WaitForAsync(openId, text => text == "first reply");
        var tokensBefore = rig.Api.TokenCallsOf(account.AppId);

        rig.Api.ExpireTokens(account.AppId);
        var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            admin.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = "after-" + i, text = "after expiry " + i })));
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        for (var i = 0; i < 3; i++)
        {
            var expected = "after expiry " + i;
            await rig.Api.WaitForAsync(openId, text => text == expected);
        }

        Assert.Equal(1, tokensBefore);
        Assert.Equal(2, rig.Api.TokenCallsOf(account.AppId));
    }

    [Fact]
    public async Task AReplyAfterTheWindowClosed_IsMarkedWindowClosed_AndNotRetried()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];
        await account.TextAsync(openId, "hello");
        var conversation = await rig.Server.WithDbAsync(db => db.Conversations.Where(c => c.InboxId == account.InboxId).Select(c => c.Id).SingleAsync());
        rig.Api.WindowClosed[openId] = true;

        var reply = await admin.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = "late", text = "too late" });
        var messageId = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetGuid();

        await Infrastructure.Wait.UntilAsync(() => rig.Server.WithDbAsync(db =>
            db.Set<WeChatDelivery>().AnyAsync(d => d.MessageId == messageId && d.State == WeChatDeliveryState.WindowClosed && d.ErrorCode == 45015)), "the closed window to be recorded");
        Assert.DoesNotContain(rig.Api.Sent, m => m.ToUser == openId);
    }

    [Fact]
    public async Task WeChatsThreeRetriesOfOneMsgId_StoreOneMessage()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => account.TextAsync(openId, "only once", msgId: 6054768590064713728)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, await rig.Server.WithDbAsync(db => db.Messages.CountAsync(m =>
            db.Conversations.Any(c => c.Id == m.ConversationId && c.InboxId == account.InboxId) && m.Text == "only once")));
    }

    [Fact]
    public async Task VoiceWithRecognition_IsStoredAsTheRecognisedWords_AndAMenuClickAsItsKey()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin, safe: false);
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];

        await account.PostAsync(WeChatXml.Write(("ToUserName", WeChatAccount.AccountId), ("FromUserName", openId), ("CreateTime", WeChatAccount.Now()),
            ("MsgType", "voice"), ("MediaId", "m1"), ("Format", "amr"), ("Recognition", "我的订单在哪里"), ("MsgId", "1234567890123456")));
        await account.EventAsync(openId, "CLICK", "ORDER_STATUS");

        var texts = await rig.Server.WithDbAsync(db => db.Messages.Where(m => db.Conversations.Any(c => c.Id == m.ConversationId && c.InboxId == account.InboxId))
            .OrderBy(m => m.Seq).Select(m => m.Text).ToListAsync());
        Assert.Equal(["我的订单在哪里", "[menu] ORDER_STATUS"], texts);
    }
}
