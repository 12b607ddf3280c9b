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

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> accepts its value and returns that value; fails with
    /// <paramref name="what"/> after <paramref name="seconds"/>.
    /// </summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {seconds}s waiting for: {what} (last: {value})");
            await Task.Delay(50);
        }
    }
}
