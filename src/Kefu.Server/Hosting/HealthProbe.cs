using System.Globalization;

namespace Kefu.Server.Hosting;

/// <summary>
/// <c>dotnet Kefu.Server.dll --health-check</c>: asks the server running beside it for <c>/healthz</c> and exits 0 when
/// it answers <c>Healthy</c>, 1 otherwise. The container's <c>HEALTHCHECK</c> runs it, since the runtime image has no
/// curl or wget (and should not need one); <c>scripts/container-smoke.sh</c> runs the same command.
/// </summary>
internal static class HealthProbe
{
    public const string Argument = "--health-check";

    public static bool IsRequested(string[] args) => args is [Argument, ..];

    /// <summary>Probes <c>http://127.0.0.1:{port}/healthz</c>, the port being the first of <c>ASPNETCORE_HTTP_PORTS</c> (8080 by default).</summary>
    public static async Task<int> RunAsync()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080";
        var port = int.Parse(ports.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0], CultureInfo.InvariantCulture);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            return body == "Healthy" ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await System.Console.Error.WriteLineAsync($"health check: {ex.Message}");
            return 1;
        }
    }
}
