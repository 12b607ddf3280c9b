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
            Settings = new Dictionary<string, string> { ["Kefu:Email:PollSeconds"] = "1", ["Kefu:Email:ReconcileSeconds"] = "1" },
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
