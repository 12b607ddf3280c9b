using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.UnitTests.Hosting;

public sealed class TimeSpanRangeAttributeTests
{
    private sealed class Settings
    {
        [TimeSpanRange("00:00:01", "01:00:00")]
        public TimeSpan Grace { get; set; }
    }

    [Theory]
    [InlineData("00:00:01", true)]
    [InlineData("01:00:00", true)]
    [InlineData("00:00:00", false)]
    [InlineData("01:00:01", false)]
    public void Bounds_AreInclusive(string value, bool valid)
    {
        var settings = new Settings { Grace = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true));
        if (!valid)
        {
            Assert.Equal("The field Grace must be between 00:00:01 and 01:00:00.", Assert.Single(results).ErrorMessage);
        }
    }

    /// <summary>What RangeAttribute(typeof(TimeSpan), …) gets wrong (dotnet/runtime#1143): one instance validated from many threads at once.</summary>
    [Fact]
    public void OneInstance_ValidatesFromManyThreadsAtOnce()
    {
        for (var round = 0; round < 2_000; round++)
        {
            var attribute = new TimeSpanRangeAttribute("00:00:00", "01:00:00");
            Parallel.For(0, 4, _ => Assert.True(attribute.IsValid(TimeSpan.FromMinutes(1))));
        }
    }
}
