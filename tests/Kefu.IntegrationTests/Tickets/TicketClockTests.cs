using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Tickets;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>The tickets' clock on a fake time: SLA warnings and breaches on the durable lane once each, time left, auto-close.</summary>
public sealed class TicketClockTests
{
    [Fact]
    public async Task SlaTargets_WarnThenBreachOnce_OnTheDurableLane_AndTheTimeLeftCountsDown()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero)); // a Monday
        await using var server = new KefuFactory { Clock = clock }.Start();
        using var http = await server.AgentHttpAsync();
        (await http.PutAsJsonAsync("/api/v1/tickets/sla-policies", new { priority = "urgent", firstReplyMinutes = 60, resolutionMinutes = 240, warnBeforeMinutes = 15 })).EnsureSuccessStatusCode();
        var ticket = await http.CreateTicketAsync(new { subject = "Down", priority = "urgent" });
        var sweep = server.Services.GetRequiredService<TicketSweep>();

        Assert.Equal(3600, ticket.GetProperty("sla").GetProperty("secondsLeft").GetInt64());
        clock.Advance(TimeSpan.FromMinutes(46));
        await sweep.SweepAsync(CancellationToken.None);
        await sweep.SweepAsync(CancellationToken.None); // a second pass records nothing twice
        Assert.Equal([TicketSlaWarning.Name], await EventsAsync(server, ticket.Id()));

        clock.Advance(TimeSpan.FromMinutes(15));
        await sweep.SweepAsync(CancellationToken.None);
        await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal([TicketSlaWarning.Name, TicketSlaBreached.Name], await EventsAsync(server, ticket.Id()));
        using var later = await server.AgentHttpAsync(); // the first token may have expired with the clock
        var detail = (await later.TicketAsync(ticket.Id())).GetProperty("ticket").GetProperty("sla");
        Assert.Equal("firstReply", detail.GetProperty("breached").GetString());
        Assert.Equal(-60, detail.GetProperty("secondsLeft").GetInt64());
        var soon = await later.GetFromJsonAsync<JsonElement>("/api/v1/tickets?view=breachingSoon");
        Assert.Contains(soon.GetProperty("items").EnumerateArray(), t => t.Id() == ticket.Id());
    }

    [Fact]
    public async Task SolvedTicket_ClosesAfterTheConfiguredDays_NotBefore()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock, Settings = new Dictionary<string, string> { ["Kefu:Tickets:AutoCloseDays"] = "3" } }.Start();
        using var http = await server.AgentHttpAsync();
        var ticket = await http.CreateTicketAsync(new { subject = "Done soon" });
        (await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "solved" })).EnsureSuccessStatusCode();
        var sweep = server.Services.GetRequiredService<TicketSweep>();

        clock.Advance(TimeSpan.FromDays(2.9));
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal(TicketStatus.Solved, await StatusAsync(server, ticket.Id()));
        clock.Advance(TimeSpan.FromDays(0.2));
        await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal(TicketStatus.Closed, await StatusAsync(server, ticket.Id()));
        Assert.Contains(TicketStatusChanged.Name, await EventsAsync(server, ticket.Id()));
    }

    private static Task<TicketStatus> StatusAsync(KefuFactory server, Guid id) =>
        server.WithDbAsync(db => db.Set<Ticket>().Where(t => t.Id == id).Select(t => t.Status).SingleAsync());

    private static Task<List<string>> EventsAsync(KefuFactory server, Guid ticketId) =>
        server.WithDbAsync(db => db.Outbox.Where(o => o.Type.StartsWith("ticket.sla") || o.Type == TicketStatusChanged.Name)
            .Where(o => o.Payload.Contains(ticketId.ToString())).OrderBy(o => o.Id).Select(o => o.Type).ToListAsync());
}
