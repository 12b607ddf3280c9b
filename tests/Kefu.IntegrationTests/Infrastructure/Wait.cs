namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>Waits, with a bound, for a condition the server reaches asynchronously (the durable lane, another node).</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {seconds}s waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
