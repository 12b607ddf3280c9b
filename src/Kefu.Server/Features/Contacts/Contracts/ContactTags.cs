namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>
/// The one syntax of contact tags, shared by contact editing and the routing rules that match them (VIP tags): a
/// tag is 1–32 letters, digits, <c>-</c> or <c>_</c> (any script, so <c>大客户</c> is a tag), compared
/// case-insensitively; a contact has at most <see cref="MaxCount"/>. Stored space separated.
/// </summary>
public static class ContactTags
{
    /// <summary>Most tags on one contact (and VIP tags on one inbox).</summary>
    public const int MaxCount = 20;

    /// <summary>Longest tag.</summary>
    public const int MaxLength = 32;

    /// <summary>The tags, trimmed and without duplicates (first spelling kept); null with a reason when one is malformed or there are too many.</summary>
    /// <param name="tags">Tags as given.</param>
    /// <param name="error">Why they were refused.</param>
    public static IReadOnlyList<string>? TryNormalize(IEnumerable<string?>? tags, out string? error)
    {
        error = null;
        var result = new List<string>();
        foreach (var raw in tags ?? [])
        {
            var tag = raw?.Trim() ?? "";
            if (tag.Length is 0 or > MaxLength || !tag.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
            {
                error = $"'{raw}' is not a tag: use 1 to {MaxLength} letters, digits, '-' or '_'.";
                return null;
            }

            if (!result.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(tag);
            }
        }

        if (result.Count > MaxCount)
        {
            error = $"At most {MaxCount} tags.";
            return null;
        }

        return result;
    }

    /// <summary>The stored form's tags (space or comma separated).</summary>
    /// <param name="stored">The stored text.</param>
    public static IReadOnlyList<string> Split(string? stored) => (stored ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The stored form of normalized tags.</summary>
    /// <param name="tags">Tags from <see cref="TryNormalize"/>.</param>
    public static string Join(IEnumerable<string> tags) => string.Join(' ', tags);
}
