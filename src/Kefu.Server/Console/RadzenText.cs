using System.Globalization;
using System.Resources;

namespace Kefu.Server.Console;

/// <summary>
/// The Radzen components' own texts (pager, grid filters, date picker, dialogs, scheduler …) in the console's
/// languages. Radzen ships English and a few European languages; the Chinese is ours, in <c>RadzenText.zh.resx</c>.
/// </summary>
internal sealed class RadzenText : Radzen.ILocalizer
{
    private static readonly ResourceManager Resources = new("Kefu.Server.Console.RadzenText", typeof(RadzenText).Assembly);

    /// <summary>Chinese from our resources; null (Radzen's English) for every other culture.</summary>
    public string? Get(string key, CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" ? Resources.GetString(key, culture) : null;
}
