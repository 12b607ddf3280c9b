using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Infrastructure;

/// <summary>
/// Drives the console's Radzen inputs the way a person does. A dropdown is no native select: it opens a popup whose
/// options the pages render with <c>data-testid="{dropdown}-option"</c> and <c>data-value</c>, so a test picks by value
/// whatever the language; the dropdown itself carries the chosen value as <c>data-value</c>. A date picker's text box takes a typed date and reads it when focus leaves.
/// </summary>
public static class RadzenInputs
{
    /// <summary>Opens the dropdown <paramref name="testId"/> (inside <paramref name="scope"/>, if given) and picks the option with <paramref name="value"/>.</summary>
    public static async Task ChooseAsync(IPage page, string testId, string value, ILocator? scope = null)
    {
        var dropdown = scope is null ? page.GetByTestId(testId) : scope.GetByTestId(testId);
        await dropdown.ClickAsync();
        var option = page.Locator($"[data-testid='{testId}-option'][data-value='{value}']").Filter(new LocatorFilterOptions { Visible = true });
        await option.ClickAsync();
        // Not "the popup is hidden": Radzen fades it out and Playwright counts an element at opacity 0 as visible.
        await Expect(dropdown).ToHaveAttributeAsync("data-value", value);
    }

    /// <summary>The text box of the date picker <paramref name="testId"/>.</summary>
    public static ILocator DateBox(IPage page, string testId) =>
        page.Locator($"[data-testid='{testId}'] input.rz-inputtext, input[data-testid='{testId}']");

    /// <summary>Types a date (yyyy-MM-dd) into a date picker and leaves the field, as a person tabbing on does.</summary>
    public static async Task TypeDateAsync(IPage page, string testId, string date)
    {
        var box = DateBox(page, testId);
        await box.FillAsync(date);
        await box.PressAsync("Tab");
    }
}
