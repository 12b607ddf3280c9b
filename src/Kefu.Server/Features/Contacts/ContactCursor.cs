using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Kefu.Server.Features.Contacts.Contracts;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// The contact list's keyset cursor: the sort it belongs to, the last row's sort value and its id, opaque to clients
/// (base64url). Paging by key instead of by offset does not skip or repeat a contact when others are added or seen
/// between two pages, and costs the same on page 500 as on page 1.
/// </summary>
internal sealed record ContactCursor(string Sort, string Value, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Sort, Value, Id.ToString("N"))));

    /// <summary>The cursor, or null when the text is not one this server wrote.</summary>
    public static ContactCursor? Decode(string text)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('\n');
            return parts.Length == 3 && Guid.TryParseExact(parts[2], "N", out var id) ? new ContactCursor(parts[0], parts[1], id) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The cursor after <paramref name="last"/> in <paramref name="sort"/>.</summary>
    public static ContactCursor After(string sort, Contact last) => new(sort, sort.TrimStart('-') switch
    {
        "name" => last.Name,
        "created" => last.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
        _ => last.LastSeenAt.Ticks.ToString(CultureInfo.InvariantCulture),
    }, last.Id);

    /// <summary>The rows after this cursor in its sort (ties broken by id, ascending, as the list orders them); null when the value is malformed.</summary>
    public IQueryable<Contact>? Apply(IQueryable<Contact> contacts)
    {
        var (v, id) = (Value, Id);
        if (Sort.TrimStart('-') == "name")
        {
            return Sort.StartsWith('-')
                ? contacts.Where(c => string.Compare(c.Name, v) < 0 || (c.Name == v && c.Id.CompareTo(id) > 0))
                : contacts.Where(c => string.Compare(c.Name, v) > 0 || (c.Name == v && c.Id.CompareTo(id) > 0));
        }

        if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        var at = new DateTime(ticks, DateTimeKind.Utc);
        return Sort switch
        {
            "created" => contacts.Where(c => c.CreatedAt > at || (c.CreatedAt == at && c.Id.CompareTo(id) > 0)),
            "-created" => contacts.Where(c => c.CreatedAt < at || (c.CreatedAt == at && c.Id.CompareTo(id) > 0)),
            "lastSeen" => contacts.Where(c => c.LastSeenAt > at || (c.LastSeenAt == at && c.Id.CompareTo(id) > 0)),
            _ => contacts.Where(c => c.LastSeenAt < at || (c.LastSeenAt == at && c.Id.CompareTo(id) > 0)),
        };
    }
}
