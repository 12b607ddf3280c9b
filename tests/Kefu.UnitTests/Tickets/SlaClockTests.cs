using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Tickets;

/// <summary>SLA due times in calendar time and in business hours, and the ticket's clock as it starts, warns and stops.</summary>
public sealed class SlaClockTests
{
    private static readonly WeeklyHours Office = WeeklyHours.Parse("mon-fri 09:00-17:00", "Asia/Shanghai", null);

    [Fact]
    public void CalendarTime_IsTheStartPlusTheTarget()
    {
        var start = new DateTime(2026, 12, 4, 16, 0, 0, DateTimeKind.Utc);
        Assert.Equal(start.AddHours(30), SlaClock.Due(start, TimeSpan.FromHours(30), WeeklyHours.Parse("", null, null)));
    }

    [Fact]
    public void BusinessHours_FridayAfternoon_CarryAcrossTheWeekendToMonday()
    {
        // Friday 4 December 2026, 16:00 in Shanghai (08:00 UTC): one hour left on Friday, three more on Monday.
        var friday = new DateTime(2026, 12, 4, 8, 0, 0, DateTimeKind.Utc);

        var due = SlaClock.Due(friday, TimeSpan.FromHours(4), Office);

        // Monday 7 December, 12:00 in Shanghai = 04:00 UTC.
        Assert.Equal(new DateTime(2026, 12, 7, 4, 0, 0, DateTimeKind.Utc), due);
    }

    [Fact]
    public void BusinessHours_StartedOnSaturday_CountFromMondayMorning()
    {
        var saturday = new DateTime(2026, 12, 5, 3, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 12, 7, 1, 30, 0, DateTimeKind.Utc), SlaClock.Due(saturday, TimeSpan.FromMinutes(30), Office));
    }

    [Fact]
    public void BusinessHours_ExactlyADay_EndsAtTheClose()
    {
        var monday = new DateTime(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai

        Assert.Equal(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), SlaClock.Due(monday, TimeSpan.FromHours(8), Office));
    }

    [Fact]
    public void TicketClock_OnAFakeClock_WarnsThenBreaches_AndAPublicReplyStopsTheFirstReplyTarget()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero)); // Friday 16:00 Shanghai
        var policy = new SlaPolicy { Priority = TicketPriority.High, FirstReplyMinutes = 120, ResolutionMinutes = 16 * 60, BusinessHours = "mon-fri 09:00-17:00", TimeZone = "Asia/Shanghai", WarnBeforeMinutes = 30 };
        var ticket = new Ticket { Subject = "s", Status = TicketStatus.New, CreatedAt = clock.GetUtcNow().UtcDateTime };

        TicketSla.Start(ticket, policy, clock.GetUtcNow().UtcDateTime);

        // Two business hours from Friday 16:00: Monday 10:00 Shanghai (02:00 UTC); the sweep looks 30 minutes before.
        Assert.Equal(new DateTime(2026, 12, 7, 2, 0, 0, DateTimeKind.Utc), ticket.FirstReplyDueAt);
        Assert.Equal(ticket.FirstReplyDueAt, ticket.NextDueAt);
        Assert.Equal(ticket.FirstReplyDueAt!.Value.AddMinutes(-30), ticket.SlaCheckAt);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.True(ticket.SlaCheckAt > clock.GetUtcNow().UtcDateTime); // the weekend does not count

        TicketSla.Replied(ticket, clock.GetUtcNow().UtcDateTime);

        Assert.Null(ticket.FirstReplyDueAt);
        Assert.Equal(ticket.ResolutionDueAt, ticket.NextDueAt);
        Assert.Equal(ticket.ResolutionDueAt!.Value.AddMinutes(-30), ticket.SlaCheckAt);
    }

    [Fact]
    public void PendingTicket_HasNoRunningClock_AndTheCustomerAnswerStartsTheNextReplyTarget()
    {
        var now = new DateTime(2026, 12, 7, 2, 0, 0, DateTimeKind.Utc);
        var policy = new SlaPolicy { FirstReplyMinutes = 60, NextReplyMinutes = 30, WarnBeforeMinutes = 0 };
        var ticket = new Ticket { Subject = "s", Status = TicketStatus.New, CreatedAt = now };
        TicketSla.Start(ticket, policy, now);
        TicketSla.Replied(ticket, now.AddMinutes(5));
        ticket.Status = TicketStatus.Pending;
        TicketSla.Refresh(ticket);
        Assert.Null(ticket.NextDueAt);

        ticket.Status = TicketStatus.Open;
        TicketSla.CustomerWrote(ticket, policy, now.AddMinutes(10));

        Assert.Equal(now.AddMinutes(40), ticket.NextReplyDueAt);
        Assert.Equal(now.AddMinutes(40), ticket.SlaCheckAt); // no warning time: the sweep looks at the due time
    }
}
