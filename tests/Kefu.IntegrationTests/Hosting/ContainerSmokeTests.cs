using System.Diagnostics;

namespace Kefu.IntegrationTests.Hosting;

/// <summary>
/// What the container image runs, without a container runtime: <c>scripts/container-smoke.sh</c> publishes this build,
/// lays it out read-only, starts it with the Dockerfile's ENV lines as an unprivileged user, waits for the Dockerfile's
/// HEALTHCHECK command, and stops it with SIGTERM. It starts its own SQLite server, so the PostgreSQL pass skips it.
/// </summary>
[Trait("Category", "Container")]
public sealed class ContainerSmokeTests
{
    [Fact]
    public async Task TheImagesStartCommand_WithItsEnvironment_BecomesHealthy_AndStopsCleanly()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kefu.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root (Kefu.slnx) was not found.");
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "container-smoke.sh")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var log = await output + await errors;
        Assert.True(process.ExitCode == 0, log);
        Assert.Contains("container-smoke: healthy", log, StringComparison.Ordinal);
        Assert.Contains("container-smoke: ok", log, StringComparison.Ordinal);
    }
}
