using Kefu.Server.Features.Routing.Contracts;

namespace Kefu.UnitTests.Routing;

/// <summary>Business hours and shifts: time zones, ranges across midnight, holidays, the next opening.</summary>
public sealed class WeeklyHoursTests
{
    [Fact]
    public void Shanghai_WeekdayHours_OpenAtTenLocal_ClosedAtEightLocal()
    {
        var hours = WeeklyHours.Parse("mon-fri 09:00-18:00", "Asia/Shanghai", "");

        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero)));  // Mon 10:00 in Shanghai
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero))); // Mon 08:00 in Shanghai
    }

    [Fact]
    public void Holiday_IsClosed_AndNextOpeningSkipsIt()
    {
        var hours = WeeklyHours.Parse("mon-fri 09:00-18:00", "Europe/Berlin", "2026-12-25");
        var christmasNoon = new DateTimeOffset(2026, 12, 25, 11, 0, 0, TimeSpan.Zero); // Friday 12:00 in Berlin

        Assert.False(hours.IsOpen(christmasNoon));
        Assert.Equal(new DateTimeOffset(2026, 12, 28, 9, 0, 0, TimeSpan.FromHours(1)), hours.NextOpening(christmasNoon));
    }

    [Fact]
    public void RangeAcrossMidnight_CoversTheNextMorning()
    {
        var hours = WeeklyHours.Parse("fri 22:00-02:00", "UTC", "");

        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero)));  // Saturday 01:00
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("mon-fri 9-18", "UTC", "")]
    [InlineData("funday 09:00-10:00", "UTC", "")]
    [InlineData("mon 09:00-18:00", "Mars/Olympus", "")]
    [InlineData("mon 09:00-18:00", "UTC", "25.12.2026")]
    public void BadInput_IsAnError(string text, string zone, string holidays)
    {
        Assert.Null(WeeklyHours.TryParse(text, zone, holidays, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Empty_IsAlwaysOpen()
    {
        Assert.True(WeeklyHours.Parse("", "UTC", "").IsOpen(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("en:0")]
    [InlineData("en:11")]
    [InlineData("a:b:c")]
    public void Skills_BadLevel_IsAnError(string text)
    {
        Assert.Null(SkillSet.TryParse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Skills_CaseInsensitive_Levels()
    {
        Assert.True(SkillSet.Parse("EN:4 Vip").Covers(SkillSet.Parse("en:3 vip")));
        Assert.False(SkillSet.Parse("en:2").Covers(SkillSet.Parse("en:3")));
    }
}
