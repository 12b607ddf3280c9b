using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Kefu.Server.Hosting;

/// <summary>
/// Cursor pagination for lists: <c>pageSize</c> from 1 to <see cref="MaxPageSize"/> (a larger one is refused with
/// <c>invalid_page_size</c>, never silently cut), and an opaque <c>cursor</c> naming the last item returned
/// (its time and id), so a page never repeats or skips items when new ones arrive meanwhile.
/// </summary>
internal static class Paging
{
    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page any list returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>A cursor that this server did not make.</summary>
    public static readonly KefuError InvalidCursor = new KefuError("invalid_cursor", "cursor is not one this list returned.") with { Field = "cursor" };

    /// <summary>Null when <paramref name="pageSize"/> is within 1..<paramref name="max"/>; otherwise the error naming the cap.</summary>
    public static KefuError? Check(int pageSize, int max = MaxPageSize) =>
        pageSize is >= 1 && pageSize <= max
            ? null
            : new KefuError("invalid_page_size", $"pageSize must be between 1 and {max}.") with { Field = "pageSize" };

    /// <summary>The cursor after an item created at <paramref name="at"/> with id <paramref name="id"/>.</summary>
    public static string Cursor(DateTime at, Guid id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(at.Ticks.ToString(CultureInfo.InvariantCulture) + ":" + id.ToString("N")));

    /// <summary>Reads a cursor; true with null for none, false for one this server did not make.</summary>
    public static bool TryReadCursor(string? cursor, out (DateTime At, Guid Id)? position)
    {
        position = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                ticks <= DateTime.MaxValue.Ticks && Guid.TryParseExact(parts[1], "N", out var id))
            {
                position = (new DateTime(ticks, DateTimeKind.Utc), id);
                return true;
            }
        }
        catch (FormatException)
        {
            // not base64url: falls through to "not ours"
        }

        return false;
    }
}
