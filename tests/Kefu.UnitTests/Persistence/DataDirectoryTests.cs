using System.Diagnostics;
using System.Text.Json;
using Kefu.Server.Persistence;

namespace Kefu.UnitTests.Persistence;

/// <summary>
/// The README's rule: the data folder (<c>Kefu:Database:DataDirectory</c>, <c>data</c> by default) is relative to the
/// folder the operator started the server from, with <c>dotnet run</c> as with the published server.
/// </summary>
public sealed class DataDirectoryTests
{
    [Fact]
    public void RelativeDataDirectory_ResolvesAgainstTheWorkingDirectory()
    {
        var name = "kefu-data-" + Guid.NewGuid().ToString("N");
        try
        {
            var path = new DatabaseOptions { DataDirectory = name }.EnsureDataDirectory();

            Assert.Equal(Path.Combine(Environment.CurrentDirectory, name), path);
            Assert.True(Directory.Exists(path));
        }
        finally
        {
            Directory.Delete(Path.Combine(Environment.CurrentDirectory, name), recursive: true);
        }
    }

    [Fact]
    public async Task DotnetRun_StartsTheServerWhereTheOperatorIs_WithTheProjectAsContentRoot()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "Kefu.Server", "Kefu.Server.csproj");
        var operatorFolder = Directory.CreateTempSubdirectory("kefu-operator-").FullName;
        try
        {
            // What dotnet run reads from the project: the folder it starts the process in, and the arguments it passes.
            var start = new ProcessStartInfo("dotnet", ["msbuild", project, "-getProperty:RunWorkingDirectory", "-getProperty:RunArguments", "-nologo"])
            {
                WorkingDirectory = operatorFolder, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var msbuild = Process.Start(start)!;
            var output = await msbuild.StandardOutput.ReadToEndAsync();
            await msbuild.WaitForExitAsync();
            Assert.True(msbuild.ExitCode == 0, output + await msbuild.StandardError.ReadToEndAsync());

            var properties = JsonDocument.Parse(output).RootElement.GetProperty("Properties");
            Assert.Equal(Path.TrimEndingDirectorySeparator(operatorFolder), Path.TrimEndingDirectorySeparator(properties.GetProperty("RunWorkingDirectory").GetString()!));
            Assert.Equal($"--contentRoot \"{Path.GetDirectoryName(project)}\"", properties.GetProperty("RunArguments").GetString());
        }
        finally
        {
            Directory.Delete(operatorFolder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kefu.slnx not found above the test assembly.");
    }
}
