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
    public void BusinessHours_AnAfternoonTarget_CarriesOverTheNight()
    {
        // Tuesday 8 December 2026, 16:30 in Shanghai (08:30 UTC): half an hour today, ninety minutes tomorrow morning.
        var tuesday = new DateTime(2026, 12, 8, 8, 30, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 12, 9, 2, 30, 0, DateTimeKind.Utc), SlaClock.Due(tuesday, TimeSpan.FromHours(2), Office));
    }

    [Fact]
    public void BusinessHours_SkipHolidays()
    {
        // Friday 4 December is a holiday: Thursday 16:00 gives one hour, Friday none, Monday the second.
        var hours = WeeklyHours.Parse("mon-fri 09:00-17:00", "Asia/Shanghai", "2026-12-04");
        var thursday = new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 12, 7, 2, 0, 0, DateTimeKind.Utc), SlaClock.Due(thursday, TimeSpan.FromHours(2), hours));
    }

    [Fact]
    public void BusinessHours_AcrossTheSpringDstChange_KeepLocalOpeningTimes()
    {
        // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026. Friday 16:00 local (15:00 UTC) plus two business
        // hours: one on Friday, one from Monday 09:00 local, which is now 07:00 UTC, so 10:00 local = 08:00 UTC.
        var berlin = WeeklyHours.Parse("mon-fri 09:00-17:00", "Europe/Berlin", null);
        var friday = new DateTime(2026, 3, 27, 15, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 3, 30, 8, 0, 0, DateTimeKind.Utc), SlaClock.Due(friday, TimeSpan.FromHours(2), berlin));
    }

    [Fact]
    public void BusinessHours_OnTheDstNight_CountTheShortDayAsItIs()
    {
        // Open all Sunday 29 March in Berlin: that day has 23 hours, so 23 business hours from its midnight end at its end.
        var sunday = WeeklyHours.Parse("sun 00:00-24:00", "Europe/Berlin", null);
        var midnight = new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc); // 00:00 CET

        Assert.Equal(new DateTime(2026, 3, 29, 22, 0, 0, DateTimeKind.Utc), SlaClock.Due(midnight, TimeSpan.FromHours(23), sunday));
    }

    [Fact]
    public void TicketClock_OnAFakeClock_WarnsThenBreaches_AndAPublicReplyStopsTheFirstReplyTarget()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero)); // Friday 16:00 Shanghai
        var policy = new SlaTerms(120, null, 16 * 60, 30, Office);
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
        var policy = new SlaTerms(60, 30, null, 0, WeeklyHours.Parse("", null, null));
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
