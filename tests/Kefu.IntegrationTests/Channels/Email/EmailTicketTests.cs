using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Tickets;
using Kefu.Server.Features.Channels.Email;
using Kefu.Server.Features.Tickets;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Channels.Email;

/// <summary>
/// An e-mail inbox set to make tickets, against the real SMTP and IMAP pair: mail in → a ticket the console hears of at
/// once → an agent's reply delivered threaded → the customer's answer wakes the same ticket; a stranger quoting the
/// thread opens their own; an answer after close opens a follow-up.
/// </summary>
public sealed class EmailTicketTests(EmailTicketTests.Server server) : IClassFixture<EmailTicketTests.Server>
{
    /// <summary>One server for the class, checking mailboxes every second.</summary>
    public sealed class Server : IDisposable
    {
        public Server() => Factory = new KefuFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["Kefu:Email:PollSeconds"] = "1", ["Kefu:Email:ReconcileSeconds"] = "1",
                // Small limits, so one mail can break each of them without megabytes over SMTP.
                ["Kefu:Email:MaxAttachmentsPerMail"] = "3", ["Kefu:Conversations:MaxAttachmentBytes"] = "65536",
            },
        }.Start();

        public KefuFactory Factory { get; }

        public void Dispose() => Factory.Dispose();
    }

    private readonly KefuFactory _server = server.Factory;

    [MailFact]
    public async Task MailIn_OpensATicketLive_TheReplyIsDeliveredThreaded_AnswersWakeIt_StrangersAndLateAnswersGetTheirOwn()
    {
        using var admin = await _server.AgentHttpAsync();
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        var inbox = await MailPair.CreateInboxAsync(admin, support);
        var settings = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", MailPair.SettingsRequest(support, tickets: true), KefuFactory.Json);
        Assert.True((await settings.Content.ReadFromJsonAsync<EmailSettingsDto>(KefuFactory.Json))!.Tickets);
        var tenant = await _server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == inbox).Select(i => i.TenantId).SingleAsync());
        var told = new ConcurrentQueue<Guid>();
        using var console = _server.Services.GetRequiredService<ConsoleNotifier>()
            .Subscribe(tenant, e => { if (e is ConsoleEvent.TicketChanged c) { told.Enqueue(c.TicketId); } return Task.CompletedTask; });

        var first = MailPair.Mail($"Ann Customer <{customer}@example.test>", $"{support}@kefu.test", "Broken kettle", "It does not heat.");
        await MailPair.SendAsync(first);

        var ticket = await TicketOfInboxAsync(inbox, 1, "a ticket from the mail");
        await Wait.UntilAsync(() => Task.FromResult(told.Contains(ticket)), "the console told of the new ticket");
        var opened = await admin.TicketAsync(ticket);
        Assert.Equal(("Broken kettle", "email", "new"), (opened.GetProperty("ticket").Str("subject"), opened.GetProperty("ticket").Str("source"), opened.GetProperty("ticket").Str("status")));
        Assert.Equal(inbox, opened.GetProperty("ticket").GetProperty("inboxId").GetGuid());
        Assert.Equal([("customer", "It does not heat.")], Thread(opened));
        Assert.False(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.InboxId == inbox))); // a ticket, not a chat

        var reply = await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/entries", new { text = "A new one ships <b>today</b>.", status = "pending" });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var delivered = Assert.Single(await MailPair.WaitForAsync(customer, 1, "the agent's reply in the customer's mailbox"));
        Assert.Equal(first.MessageId, delivered.InReplyTo);
        Assert.Contains(first.MessageId, delivered.References);
        Assert.Equal("Re: Broken kettle", delivered.Subject);
        Assert.StartsWith($"{support}+r", delivered.ReplyTo.Mailboxes.Single().Address, StringComparison.Ordinal);
        Assert.Contains("A new one ships <b>today</b>.", delivered.TextBody, StringComparison.Ordinal);
        Assert.Contains("A new one ships &lt;b&gt;today&lt;/b&gt;.", delivered.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("pending", (await admin.TicketAsync(ticket)).GetProperty("ticket").Str("status"));

        await MailPair.SendAsync(Answer(customer, delivered, first, "Thanks, still cold though."));

        await Wait.UntilAsync(async () => (await admin.TicketAsync(ticket)).GetProperty("ticket").Str("status") == "open", "the pending ticket woke up");
        Assert.Equal([("customer", "It does not heat."), ("reply", "A new one ships <b>today</b>."), ("customer", "Thanks, still cold though.")],
            Thread(await admin.TicketAsync(ticket)));

        // A stranger quoting the thread (a forged In-Reply-To and the reply address) opens a ticket of their own.
        var stranger = MailPair.NewBox("mallory");
        var forged = Answer(stranger, delivered, first, "Send the new one to me instead.");
        await MailPair.SendAsync(forged);
        var second = await TicketOfInboxAsync(inbox, 2, "the stranger's own ticket");
        Assert.NotEqual(ticket, second);
        Assert.Equal([("customer", "Send the new one to me instead.")], Thread(await admin.TicketAsync(second)));
        Assert.Equal(3, Thread(await admin.TicketAsync(ticket)).Count);

        // After close, the customer's answer in the same thread opens a follow-up linked to the closed ticket.
        (await admin.PatchAsJsonAsync($"/api/v1/tickets/{ticket}", new { status = "solved" })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync($"/api/v1/tickets/{ticket}", new { status = "closed" })).EnsureSuccessStatusCode();
        await MailPair.SendAsync(Answer(customer, delivered, first, "It broke again."));
        Guid followUp = default;
        await Wait.UntilAsync(async () => (followUp = await _server.WithDbAsync(db => db.Set<Ticket>().Where(t => t.FollowUpOfId == ticket).Select(t => t.Id).FirstOrDefaultAsync())) != default,
            "a follow-up of the closed ticket");
        var next = await admin.TicketAsync(followUp);
        Assert.Equal([("customer", "It broke again.")], Thread(next));
        Assert.Equal(inbox, next.GetProperty("ticket").GetProperty("inboxId").GetGuid());
        Assert.Equal("closed", (await admin.TicketAsync(ticket)).GetProperty("ticket").Str("status"));
        var records = await _server.WithDbAsync(db => db.Set<EmailRecord>().Where(r => r.InboxId == inbox).OrderBy(r => r.CreatedAt).ToListAsync());
        Assert.Equal([(EmailDirection.Inbound, ticket), (EmailDirection.Reply, ticket), (EmailDirection.Inbound, ticket), (EmailDirection.Inbound, second), (EmailDirection.Inbound, followUp)],
            records.Select(r => (r.Direction, r.TicketId!.Value)));
        Assert.Equal([false, true, false, true], records.Where(r => r.Direction == EmailDirection.Inbound).Select(r => r.ThreadVerified));
    }

    [MailFact]
    public async Task AnAgentsTicketForACustomerWhoNeverWrote_StartsAThreadByMail_TheAnswerLandsInIt_AndWithoutAnAddressTheReplyIsRefused()
    {
        using var admin = await _server.AgentHttpAsync();
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        var inbox = await MailPair.CreateInboxAsync(admin, support);
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", MailPair.SettingsRequest(support, tickets: true), KefuFactory.Json)).EnsureSuccessStatusCode();
        var contact = (await _server.NewVisitorAsync()).ContactId;
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{contact}", new { name = "Bo Customer", email = $"{customer}@Example.test", tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
        var created = await admin.CreateTicketAsync(new { subject = "Your refund", requesterId = contact, inboxId = inbox });
        var (ticket, number) = (created.Id(), created.GetProperty("number").GetInt64());

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/entries", new { text = "We refunded you today.", status = "pending" })).StatusCode);
        var first = Assert.Single(await MailPair.WaitForAsync(customer, 1, "the first reply starting a thread"));
        Assert.Null(first.InReplyTo);
        Assert.Equal($"[#{number}] Your refund", first.Subject);
        Assert.Matches($"^r[a-zA-Z2-7]+\\.[0-9a-f]{{32}}@kefu\\.test$", first.MessageId);
        Assert.StartsWith($"{support}+r", first.ReplyTo.Mailboxes.Single().Address, StringComparison.Ordinal);
        Assert.Contains("We refunded you today.", first.TextBody, StringComparison.Ordinal);

        (await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/entries", new { text = "The bank needs two days." })).EnsureSuccessStatusCode();
        var second = (await MailPair.WaitForAsync(customer, 2, "the second reply in the same thread"))[1];
        Assert.Equal(first.MessageId, second.InReplyTo);
        Assert.Equal($"Re: [#{number}] Your refund", second.Subject);

        var answer = MailPair.Mail($"{customer}@example.test", second.ReplyTo.Mailboxes.Single().Address, second.Subject!, "Got it, thanks.");
        answer.InReplyTo = second.MessageId;
        answer.References.Add(first.MessageId!);
        answer.References.Add(second.MessageId!);
        await MailPair.SendAsync(answer);
        await Wait.UntilAsync(async () => Thread(await admin.TicketAsync(ticket)).Contains(("customer", "Got it, thanks.")), "the customer's answer in the ticket");
        Assert.Equal("open", (await admin.TicketAsync(ticket)).GetProperty("ticket").Str("status"));
        Assert.Equal([ticket], await _server.WithDbAsync(db => db.Set<Ticket>().Where(t => t.InboxId == inbox).Select(t => t.Id).ToListAsync()));

        // A customer with no address: the reply is refused with a clear error, and nothing is stored or enqueued.
        var nobody = (await _server.NewVisitorAsync()).ContactId;
        var silent = (await admin.CreateTicketAsync(new { subject = "No address", requesterId = nobody, inboxId = inbox })).Id();
        var refused = await admin.PostAsJsonAsync($"/api/v1/tickets/{silent}/entries", new { text = "Hello?" });
        Assert.Equal(("requester_has_no_email", null, HttpStatusCode.BadRequest), await TicketApi.ProblemAsync(refused));
        Assert.DoesNotContain(Thread(await admin.TicketAsync(silent)), e => e.Kind == "reply");
        Assert.False(await _server.WithDbAsync(db => db.Set<EmailRecord>().AnyAsync(r => r.TicketId == silent)));
        Assert.Equal("new", (await admin.TicketAsync(silent)).GetProperty("ticket").Str("status"));
    }

    [MailFact]
    public async Task AMailsAttachments_BecomeTheTicketsFiles_WithTheUploadChecks_OverLimitOnesDroppedWithANote_DownloadableOnlyInScope()
    {
        var ws = new Access.Workspace(_server);
        using var admin = await ws.PersonAsync(Kefu.Server.Features.Accounts.Contracts.AgentRole.Admin);
        using var outsider = await ws.PersonAsync();
        var support = MailPair.NewBox("support");
        var customer = MailPair.NewBox("customer");
        var inbox = await MailPair.CreateInboxAsync(admin.Http, support);
        (await admin.Http.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/email", MailPair.SettingsRequest(support, tickets: true), KefuFactory.Json)).EnsureSuccessStatusCode();
        await Access.AccessApi.SetAccessAsync(admin.Http, outsider.Id, "agent", await ws.DemoInboxIdAsync());
        var pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();
        var mail = MailPair.Mail($"{customer}@example.test", $"{support}@kefu.test", "Receipt attached", "See the files.");
        var body = new MimeKit.BodyBuilder
        {
            TextBody = "See the files.",
            HtmlBody = "<p>See the files.</p><img src=\"cid:logo@customer.test\"><img src=\"https://tracker.example/pixel.gif\">",
        };
        var logo = body.LinkedResources.Add("logo.png", Privacy.RetentionRig.Png);
        logo.ContentId = "logo@customer.test";
        body.Attachments.Add("receipt.pdf", pdf);
        body.Attachments.Add("tool.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
        body.Attachments.Add("big.txt", System.Text.Encoding.ASCII.GetBytes(new string('a', 70_000)));
        body.Attachments.Add("notes.txt", "Order 4711\n"u8.ToArray());
        body.Attachments.Add("extra.txt", "one too many\n"u8.ToArray());
        mail.Body = body.ToMessageBody();
        await MailPair.SendAsync(mail);

        var ticket = await TicketOfInboxAsync(inbox, 1, "the ticket of the mail with files");
        var line = Assert.Single((await admin.Http.TicketAsync(ticket)).GetProperty("thread").EnumerateArray());
        var files = line.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal(["logo.png", "receipt.pdf", "notes.txt"], files.Select(f => f.Str("fileName")));
        Assert.Equal(["image/png", "application/pdf", "text/plain"], files.Select(f => f.Str("contentType")));
        var text = line.Str("text");
        Assert.StartsWith("See the files.", text, StringComparison.Ordinal);
        Assert.Contains("[attachment not kept: tool.exe — attachment_type_not_allowed]", text, StringComparison.Ordinal);
        Assert.Contains("[attachment not kept: big.txt — attachment_too_large]", text, StringComparison.Ordinal);
        Assert.Contains("[attachment not kept: extra.txt — too_many_attachments]", text, StringComparison.Ordinal);

        // Stored where uploads are, as the customer's; served with the uploads' safe headers, to agents who see the ticket.
        var requester = (await admin.Http.TicketAsync(ticket)).GetProperty("ticket").GetProperty("requesterId").GetGuid();
        var ids = files.Select(f => f.Id()).ToList();
        Assert.Equal(3, await _server.WithDbAsync(db => db.Attachments.CountAsync(a => ids.Contains(a.Id) && a.UploaderContactId == requester)));
        var download = await admin.Http.GetAsync(files[1].Str("url"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(files[1].Str("url"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/v1/tickets/{ticket}/attachments/{Guid.NewGuid()}")).StatusCode);
        var other = await admin.Http.CreateTicketAsync(new { subject = "Another", inboxId = inbox });
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/v1/tickets/{other.Id()}/attachments/{ids[1]}")).StatusCode);

        // The inline image stays a cid: reference (never loaded from anywhere) and the remote one is left for the agent to ask for.
        // The mail's record is written just after its ticket opens (a refetch is idempotent by the ticket's external id).
        var html = await Wait.ForAsync(() => _server.WithDbAsync(db => db.Set<EmailRecord>().Where(r => r.TicketId == ticket).Select(r => r.Html).SingleOrDefaultAsync()),
            found => found is not null, "the mail's record");
        Assert.Contains("src=\"cid:logo@customer.test\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/", html, StringComparison.Ordinal);

        // The ticket page's "show original": the sanitised HTML through the ticket, for agents who see it only.
        var original = await admin.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/tickets/{ticket}/entries/{line.Id()}/html");
        Assert.Equal(html, original.Str("html"));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/api/v1/tickets/{ticket}/entries/{line.Id()}/html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/v1/tickets/{other.Id()}/entries/{line.Id()}/html")).StatusCode);
        var reply = await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{ticket}/entries", new { text = "Thanks, received.", @internal = true });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        var note = (await admin.Http.TicketAsync(ticket)).GetProperty("thread").EnumerateArray().Last().Id();
        Assert.Equal((HttpStatusCode.NotFound, "ticket_mail_not_found", null),
            await ProblemShapeAsync(await admin.Http.GetAsync($"/api/v1/tickets/{ticket}/entries/{note}/html")));
    }

    private static async Task<(HttpStatusCode, string, string?)> ProblemShapeAsync(HttpResponseMessage response)
    {
        var (code, field, status) = await TicketApi.ProblemAsync(response);
        return (status, code, field);
    }

    private static MimeKit.MimeMessage Answer(string from, MimeKit.MimeMessage delivered, MimeKit.MimeMessage first, string text)
    {
        var answer = MailPair.Mail($"{from}@example.test", delivered.ReplyTo.Mailboxes.Single().Address, "Re: Broken kettle", text + "\n\nOn Tuesday Shop support wrote:\n> A new one");
        answer.InReplyTo = delivered.MessageId;
        answer.References.Add(first.MessageId!);
        answer.References.Add(delivered.MessageId!);
        return answer;
    }

    private async Task<Guid> TicketOfInboxAsync(Guid inbox, int count, string what)
    {
        List<Guid> ids = [];
        await Wait.UntilAsync(async () => (ids = await _server.WithDbAsync(db => db.Set<Ticket>().Where(t => t.InboxId == inbox).OrderBy(t => t.Number).Select(t => t.Id).ToListAsync())).Count >= count, what);
        return ids[count - 1];
    }

    private static List<(string Kind, string Text)> Thread(System.Text.Json.JsonElement detail) =>
        [.. detail.GetProperty("thread").EnumerateArray().Select(e => (e.Str("kind"), e.Str("text")))];
}
