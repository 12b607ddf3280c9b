using System.Xml.Linq;

namespace Kefu.UnitTests.Console;

/// <summary>
/// The console's strings exist in both languages, once each. Parallel branches add strings side by side and the
/// repository union-merges resx files, so a key added twice or on one side only is caught here, not by a user.
/// </summary>
public sealed class ConsoleTextTests
{
    [Theory]
    [InlineData("ConsoleText")]
    [InlineData("RadzenText")]
    public void EveryKey_IsDefinedOnce_InBothLanguages_AndNotEmpty(string name)
    {
        var english = Read($"{name}.resx");
        var chinese = Read($"{name}.zh.resx");

        Assert.Empty(Duplicates(english));
        Assert.Empty(Duplicates(chinese));
        Assert.Empty(english.Select(e => e.Key).Except(chinese.Select(e => e.Key)));
        Assert.Empty(chinese.Select(e => e.Key).Except(english.Select(e => e.Key)));
        Assert.Empty(english.Concat(chinese).Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Key));
    }

    private static List<string> Duplicates(List<KeyValuePair<string, string>> entries) =>
        [.. entries.GroupBy(e => e.Key, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];

    private static List<KeyValuePair<string, string>> Read(string file)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kefu.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var document = XDocument.Load(Path.Combine(directory.FullName, "src", "Kefu.Server", "Console", file));
        return [.. document.Root!.Elements("data").Select(d => new KeyValuePair<string, string>((string)d.Attribute("name")!, (string?)d.Element("value") ?? ""))];
    }
}
