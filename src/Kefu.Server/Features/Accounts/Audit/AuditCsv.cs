using System.Text;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>CSV rows (RFC 4180) whose cells a spreadsheet shows as text, never runs as a formula.</summary>
internal static class AuditCsv
{
    /// <summary>
    /// One row, CRLF-terminated. A cell starting with <c>= + - @</c>, a tab or a carriage return gets a leading
    /// <c>'</c>: spreadsheet programs would otherwise evaluate it (a display name <c>=HYPERLINK(…)</c> becomes a
    /// link that leaks data, or worse, when the export is opened).
    /// </summary>
    public static string Row(IReadOnlyList<string?> cells)
    {
        var row = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                row.Append(',');
            }

            row.Append(Cell(cells[i]));
        }

        return row.Append("\r\n").ToString();
    }

    /// <summary>One cell: defused, then quoted when it holds a comma, a quote or a line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
