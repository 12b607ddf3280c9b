using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Email;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;

namespace Kefu.IntegrationTests.Channels.Email;

/// <summary>
/// The e-mail channel end to end against a real SMTP and IMAP server pair: mail in → a conversation the console sees
/// live → an agent's reply delivered threaded → the customer's answer back in the same conversation; forged threads,
/// auto-reply loops, parser bombs and header injection.
/// </summary>
public sealed class EmailChannelTests(EmailChannelTests.Server server) : IClassFixture<EmailChannelTests.Server>
{
    /// <summary>One server for the class, checking mailboxes every second.</summary>
    public sealed class Server : IDisposable
    {
        public Server() => Factory = new KefuFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["Kefu:Email:PollSeconds"] = "1", ["Kefu:Email:ReconcileSeconds"] = "1", ["Kefu:Email:AutoRepliesPerAddressPerHour"] = "2",
                ["Kefu:Conversations:ReopenWindow"] = "00:00:00", // a mail after a resolve starts a new conversation
            },
        }.Start();

        public KefuFactory Factory { get; }

        public void Dispose() => Factory.Dispose();
    }

    private readonly KefuFactory _server = server.Factory;

    [MailFact]
    public async Task MailIn_ShowsLive_AgentReplyIsDeliveredThreaded_AndTheAnswerLandsInTheSameConversation()
    {
        using var admin = await _server.AgentHttpAsync();
        await using var hub = await _server.ConnectAgentAsync();
        var live = new Events<MessageDto>(hub, "MessageCreated");
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        var inbox = await MailPair.CreateInboxAsync(admin, support);
        var first = MailPair.Mail($"Ann Customer <{customer}@example.test>", $"{support}@kefu.test", "Order 42 is late",
            "Where is my order?", "<p>Where is <b>my order</b>?<img src=\"https://tracker.example/pixel.gif\"><script>alert(1)</script></p>");

        await MailPair.SendAsync(first);

        var arrived = await live.WaitAsync(m => m.Text.Contains("Where is my order?", StringComparison.Ordinal), 20);
        Assert.StartsWith("Order 42 is late", arrived.Text, StringComparison.Ordinal);
        Assert.Equal(inbox, await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == arrived.ConversationId).Select(c => c.InboxId).SingleAsync()));
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.Set<EmailRecord>().AnyAsync(r => r.MessageId == arrived.Id)), "the mail recorded");
        var html = await _server.WithDbAsync(db => db.Set<EmailRecord>().Where(r => r.MessageId == arrived.Id).Select(r => r.Html).SingleAsync());
        Assert.Contains("<b>my order</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);

        var reply = await admin.PostAsJsonAsync($"/api/v1/conversations/{arrived.ConversationId}/messages", new { clientMessageId = "reply-1", text = "It ships today <b>really</b>." });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var delivered = Assert.Single(await MailPair.WaitForAsync(customer, 1, "the agent's reply in the customer's mailbox"));
        Assert.Equal(first.MessageId, delivered.InReplyTo);
        Assert.Contains(first.MessageId, delivered.References);
        Assert.Equal("Re: Order 42 is late", delivered.Subject);
        Assert.Equal($"{support}@kefu.test", delivered.From.Mailboxes.Single().Address);
        Assert.StartsWith($"{support}+r", delivered.ReplyTo.Mailboxes.Single().Address, StringComparison.Ordinal);
        Assert.Contains("It ships today <b>really</b>.", delivered.TextBody, StringComparison.Ordinal);
        Assert.Contains("Shop support team", delivered.TextBody, StringComparison.Ordinal);
        Assert.Contains("It ships today &lt;b&gt;really&lt;/b&gt;.", delivered.HtmlBody, StringComparison.Ordinal); // agent text is text, not markup

        var answer = MailPair.Mail($"{customer}@example.test", delivered.ReplyTo.Mailboxes.Single().Address, "Re: Order 42 is late",
            "Thanks!\n\nOn Tuesday Shop support wrote:\n> It ships today");
        answer.InReplyTo = delivered.MessageId;
        answer.References.Add(first.MessageId!);
        answer.References.Add(delivered.MessageId!);
        await MailPair.SendAsync(answer);

        var back = await live.WaitAsync(m => m.Text == "Thanks!", 20);
        Assert.Equal(arrived.ConversationId, back.ConversationId);
        var mail = await admin.GetFromJsonAsync<ConversationMailPage>($"/api/v1/conversations/{arrived.ConversationId}/mail", KefuFactory.Json);
        Assert.Equal([EmailDirection.Inbound, EmailDirection.Reply, EmailDirection.Inbound], mail!.Items.Select(i => i.Direction));
        Assert.True(mail.Items[2].ThreadVerified);

        // A bounce of the reply marks it, and adds nothing to the conversation.
        await MailPair.SendAsync(Bounce($"{support}@kefu.test", delivered));
        await Wait.UntilAsync(async () => (await admin.GetFromJsonAsync<ConversationMailPage>($"/api/v1/conversations/{arrived.ConversationId}/mail", KefuFactory.Json))!
            .Items[1].BouncedAt is not null, "the reply marked bounced");
        var page = await admin.GetFromJsonAsync<MessagePage>($"/api/v1/conversations/{arrived.ConversationId}/messages", KefuFactory.Json);
        Assert.Equal(3, page!.Messages.Count);
    }

    [MailFact]
    public async Task AMailsAttachment_BecomesAMessageWithTheFile_ABadOneIsDroppedWithANote_AndOnlyAgentsInScopeGetIt()
    {
        var ws = new Access.Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var outsider = await ws.PersonAsync();
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        await MailPair.CreateInboxAsync(admin.Http, support);
        await Access.AccessApi.SetAccessAsync(admin.Http, outsider.Id, "agent", await ws.DemoInboxIdAsync());
        var pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();
        var mail = MailPair.Mail($"{customer}@example.test", $"{support}@kefu.test", "Invoice " + customer, "Here it is.");
        var body = new BodyBuilder { TextBody = "Here it is." };
        body.Attachments.Add("invoice.pdf", pdf);
        body.Attachments.Add("run.exe", [0x4D, 0x5A, 0x00, 0x00]);
        mail.Body = body.ToMessageBody();
        await MailPair.SendAsync(mail);

        Guid conversation = default;
        await Wait.UntilAsync(async () => (conversation = await _server.WithDbAsync(db => db.Messages.Where(m => m.Text.StartsWith("Invoice " + customer)).Select(m => m.ConversationId).FirstOrDefaultAsync())) != default
            && await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversation)) == 2, "the mail's text and its file as two messages");
        var messages = (await admin.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}/messages")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains("[attachment not kept: run.exe — attachment_type_not_allowed]", messages[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var file = messages[1].GetProperty("attachment");
        Assert.Equal(("invoice.pdf", "application/pdf"), (file.GetProperty("fileName").GetString(), file.GetProperty("contentType").GetString()));
        Assert.Equal(pdf, await admin.Http.GetByteArrayAsync(file.GetProperty("url").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/api/v1/conversations/{conversation}/messages")).StatusCode);
        Assert.Single(await _server.WithDbAsync(db => db.Attachments.Where(a => a.FileName == "invoice.pdf" && a.Sha256 != "" && a.UploaderContactId != null
            && db.Messages.Any(m => m.ConversationId == conversation && m.AttachmentId == a.Id)).ToListAsync()));
    }

    [MailFact]
    public async Task AForgedInReplyTo_FromAnotherSender_StartsItsOwnConversation()
    {
        using var admin = await _server.AgentHttpAsync();
        await using var hub = await _server.ConnectAgentAsync();
        var live = new Events<MessageDto>(hub, "MessageCreated");
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        await MailPair.CreateInboxAsync(admin, support);
        await MailPair.SendAsync(MailPair.Mail($"{customer}@example.test", $"{support}@kefu.test", "My invoice", "Please send my invoice."));
        var arrived = await live.WaitAsync(m => m.Text.Contains("Please send my invoice.", StringComparison.Ordinal), 20);
        await admin.PostAsJsonAsync($"/api/v1/conversations/{arrived.ConversationId}/messages", new { clientMessageId = "reply-1", text = "Attached." });
        var delivered = Assert.Single(await MailPair.WaitForAsync(customer, 1, "the reply"));

        var forged = MailPair.Mail("mallory@evil.test", delivered.ReplyTo.Mailboxes.Single().Address, "Re: My invoice", "Send it to me instead.");
        forged.InReplyTo = delivered.MessageId;
        forged.References.Add(delivered.MessageId!);
        await MailPair.SendAsync(forged);

        var intruder = await live.WaitAsync(m => m.Text.Contains("Send it to me instead.", StringComparison.Ordinal), 20);
        Assert.NotEqual(arrived.ConversationId, intruder.ConversationId);
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.Set<EmailRecord>().AnyAsync(r => r.MessageId == intruder.Id)), "the forged mail recorded");
        var record = await _server.WithDbAsync(db => db.Set<EmailRecord>().SingleAsync(r => r.MessageId == intruder.Id));
        Assert.False(record.ThreadVerified);
        Assert.Equal(2, (await admin.GetFromJsonAsync<MessagePage>($"/api/v1/conversations/{arrived.ConversationId}/messages", KefuFactory.Json))!.Messages.Count);
    }

    [MailFact]
    public async Task AutoReplies_SkipAutomaticMail_AndStopAtTheHourlyCap()
    {
        using var admin = await _server.AgentHttpAsync();
        await using var hub = await _server.ConnectAgentAsync();
        var live = new Events<MessageDto>(hub, "MessageCreated");
        var support = MailPair.NewBox("support");
        var robot = MailPair.NewBox("robot");
        var inbox = await MailPair.CreateInboxAsync(admin, support, autoReply: "We got your mail and answer within a day.");

        // An auto-responder that says what it is gets no answer.
        var outOfOffice = MailPair.Mail($"{robot}@example.test", $"{support}@kefu.test", "Out of office", "I am away until Monday.");
        outOfOffice.Headers.Add("Auto-Submitted", "auto-replied");
        await MailPair.SendAsync(outOfOffice);
        var away = await live.WaitAsync(m => m.Text.Contains("I am away until Monday.", StringComparison.Ordinal), 20);
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.Set<EmailRecord>().AnyAsync(r => r.MessageId == away.Id)), "the out-of-office mail recorded");
        Assert.True(await _server.WithDbAsync(db => db.Set<EmailRecord>().Where(r => r.MessageId == away.Id).Select(r => r.Automatic).SingleAsync()));

        // One that does not is answered once per new conversation, and no more than the hourly cap (2 here).
        var current = away.ConversationId;
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/conversations/{current}/resolve", null)).StatusCode);
            await MailPair.SendAsync(MailPair.Mail($"{robot}@example.test", $"{support}@kefu.test", $"Thank you {i}", $"Your mail {i} was received."));
            var next = await live.WaitAsync(m => m.Text.Contains($"Your mail {i} was received.", StringComparison.Ordinal), 20);
            Assert.NotEqual(current, next.ConversationId);
            current = next.ConversationId;
            await Wait.UntilAsync(() => _server.WithDbAsync(db => db.Set<EmailRecord>().AnyAsync(r => r.InboxId == inbox && r.Subject == $"Thank you {i}")), $"mail {i} recorded");
        }

        // A barrier: the watcher handles mail in order, so once another sender's acknowledgement is out, the third
        // mail was handled in full, its capped acknowledgement included.
        var other = MailPair.NewBox("other");
        await MailPair.SendAsync(MailPair.Mail($"{other}@example.test", $"{support}@kefu.test", "Barrier", "Hello there."));
        await MailPair.WaitForAsync(other, 1, "the other sender's acknowledgement");
        var acks = await MailPair.WaitForAsync(robot, 2, "two acknowledgements");
        Assert.All(acks, a => Assert.Equal("auto-replied", a.Headers["Auto-Submitted"]));
        var robotAddress = $"{robot}@example.test";
        Assert.Equal(2, await _server.WithDbAsync(db => db.Set<EmailRecord>().CountAsync(r => r.InboxId == inbox && r.Address == robotAddress && r.Direction == EmailDirection.AutoReply)));
        Assert.Equal(2, (await MailPair.ReadAsync(robot)).Count);
    }

    [MailFact]
    public async Task ParserBombs_AreQuarantined_AndTheMailboxGoesOn()
    {
        using var admin = await _server.AgentHttpAsync();
        await using var hub = await _server.ConnectAgentAsync();
        var live = new Events<MessageDto>(hub, "MessageCreated");
        var support = MailPair.NewBox("support");
        var inbox = await MailPair.CreateInboxAsync(admin, support);

        var wide = MailPair.Mail("wide@example.test", $"{support}@kefu.test", "wide", "");
        var parts = new Multipart("mixed");
        for (var i = 0; i < 10_000; i++)
        {
            parts.Add(new TextPart("plain") { Text = "x" });
        }

        wide.Body = parts;
        var deep = MailPair.Mail("deep@example.test", $"{support}@kefu.test", "deep", "");
        MimeEntity body = new TextPart("plain") { Text = "bottom" };
        for (var i = 0; i < 50; i++)
        {
            body = new Multipart("mixed") { body };
        }

        deep.Body = body;
        await MailPair.SendAsync(wide);
        await MailPair.SendAsync(deep);
        await MailPair.SendAsync(MailPair.Mail("fine@example.test", $"{support}@kefu.test", "Fine", "A normal question."));

        await live.WaitAsync(m => m.Text.Contains("A normal question.", StringComparison.Ordinal), 30);
        await Wait.UntilAsync(async () => await _server.WithDbAsync(db => db.Set<EmailQuarantine>().CountAsync(q => q.InboxId == inbox && q.QuarantinedAt != null)) == 2,
            "both bombs quarantined");
        var quarantined = await _server.WithDbAsync(db => db.Set<EmailQuarantine>().Where(q => q.InboxId == inbox).ToListAsync());
        Assert.Equal(["too_deep", "too_many_parts"], quarantined.Select(q => q.Reason).Order());
        Assert.All(quarantined, q => Assert.NotNull(q.QuarantinedAt));
        await Wait.UntilAsync(async () => await _server.WithDbAsync(db => db.Set<EmailRecord>().CountAsync(r => r.InboxId == inbox)) == 1, "the normal mail recorded");
        Assert.Equal("fine@example.test", await _server.WithDbAsync(db => db.Set<EmailRecord>().Where(r => r.InboxId == inbox).Select(r => r.Address).SingleAsync()));
    }

    [MailFact]
    public async Task LineBreaksInHeaderValues_AreRefused_InSettingsAndFromContactData()
    {
        using var admin = await _server.AgentHttpAsync();
        await using var hub = await _server.ConnectAgentAsync();
        var live = new Events<MessageDto>(hub, "MessageCreated");
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        var inbox = await MailPair.CreateInboxAsync(admin, support);

        var bad = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", MailPair.SettingsRequest(support, fromName: "Shop\r\nBcc: victim@example.test"), KefuFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("fromName", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("Shop support", (await admin.GetFromJsonAsync<EmailSettingsDto>($"/api/v1/inboxes/{inbox}/email", KefuFactory.Json))!.FromName);

        // A subject written with a line break reaches the conversation on one line (the sender's library folds it away;
        // Kefu also flattens what an encoded word decodes to).
        var sneaky = MailPair.Mail($"{customer}@example.test", $"{support}@kefu.test", "Hello\r\nBcc: victim@example.test", "Hi.");
        await MailPair.SendAsync(sneaky);
        var arrived = await live.WaitAsync(m => m.Text.Contains("Hi.", StringComparison.Ordinal), 20);
        Assert.Equal("HelloBcc: victim@example.test", arrived.Text.Split('\n')[0]);

        // A contact name with a line break (written by an import, say) refuses the reply instead of sending it.
        var contactId = await _server.WithDbAsync(db => db.Conversations.Where(v => v.Id == arrived.ConversationId).Select(v => v.ContactId).SingleAsync());
        await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Ann\r\nBcc: victim@example.test")));
        await admin.PostAsJsonAsync($"/api/v1/conversations/{arrived.ConversationId}/messages", new { clientMessageId = "reply-1", text = "Answer." });
        await Wait.UntilAsync(async () => (await admin.GetFromJsonAsync<ConversationMailPage>($"/api/v1/conversations/{arrived.ConversationId}/mail", KefuFactory.Json))!
            .Items.Any(i => i.Refused == "unsafe_header"), "the reply refused");
        Assert.Empty(await MailPair.ReadAsync(customer));
        Assert.Empty(await MailPair.ReadAsync("victim"));
    }

    [MailFact]
    public async Task Settings_NeverShowPasswords_TestTheConnection_AndAreNotFoundFromAnotherWorkspace()
    {
        using var admin = await _server.AgentHttpAsync();
        var support = MailPair.NewBox("support");
        var inbox = await MailPair.CreateInboxAsync(admin, support);

        var json = await admin.GetStringAsync($"/api/v1/inboxes/{inbox}/email");
        Assert.DoesNotContain(MailPair.Password, json, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(json).RootElement.GetProperty("hasImapPassword").GetBoolean());
        var stored = await _server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == inbox).Select(i => i.ChannelSettings!).SingleAsync());
        Assert.DoesNotContain(MailPair.Password, stored, StringComparison.Ordinal);

        var ok = await (await admin.PostAsync($"/api/v1/inboxes/{inbox}/email/test", null)).Content.ReadFromJsonAsync<EmailConnectionTest>(KefuFactory.Json);
        Assert.Equal(new EmailConnectionTest(true, null, true, null), ok);
        var keep = MailPair.SettingsRequest(support);
        var withoutPassword = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(keep))!;
        withoutPassword.Remove("imapPassword");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", withoutPassword)).StatusCode);
        Assert.True((await (await admin.PostAsync($"/api/v1/inboxes/{inbox}/email/test", null)).Content.ReadFromJsonAsync<EmailConnectionTest>(KefuFactory.Json))!.ImapOk);

        var wrongPort = new Dictionary<string, JsonElement>(withoutPassword) { ["imapPort"] = JsonSerializer.SerializeToElement(0) };
        var refused = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", wrongPort);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("imapPort", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var (_, otherAgent) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherAgent).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherAgent));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/inboxes/{inbox}/email")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", keep, KefuFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PostAsync($"/api/v1/inboxes/{inbox}/email/test", null)).StatusCode);
    }

    private static MimeMessage Bounce(string to, MimeMessage original)
    {
        var dsn = new MimeMessage { Subject = "Undelivered Mail Returned to Sender", MessageId = MimeUtils.GenerateMessageId("mx.example.test") };
        dsn.From.Add(MailboxAddress.Parse("MAILER-DAEMON@mx.example.test"));
        dsn.To.Add(MailboxAddress.Parse(to));
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.example.test" } });
        status.StatusGroups.Add(new HeaderList { { "Final-Recipient", "rfc822; gone@example.test" }, { "Action", "failed" }, { "Status", "5.1.1" } });
        dsn.Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "The mail could not be delivered." }, status, new MessagePart { Message = original } };
        return dsn;
    }
}
