using System.Text;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// Reads RFC 4180 CSV: comma separated, fields in double quotes may hold commas, doubled quotes and line breaks. Bounded:
/// a file over <see cref="MaxRows"/> rows or a row over <see cref="MaxFields"/> fields stops the read with a reason.
/// </summary>
internal static class ContactCsv
{
    public const int MaxRows = 5000;
    public const int MaxFields = 20;

    /// <summary>The rows (the header first); null with a reason when the text is not CSV Kefu accepts.</summary>
    public static List<List<string>>? Read(string text, out string? error)
    {
        error = null;
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0; // a spreadsheet's BOM
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                if (!EndRow(rows, row, out error))
                {
                    return null;
                }

                row = [];
            }
            else
            {
                field.Append(c);
            }

            if (row.Count > MaxFields)
            {
                error = $"A row has more than {MaxFields} fields.";
                return null;
            }
        }

        if (quoted)
        {
            error = "A quoted field is not closed.";
            return null;
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            if (!EndRow(rows, row, out error))
            {
                return null;
            }
        }

        return rows;
    }

    private static bool EndRow(List<List<string>> rows, List<string> row, out string? error)
    {
        error = null;
        if (row is [""])
        {
            return true; // a blank line
        }

        rows.Add(row);
        if (rows.Count > MaxRows + 1)
        {
            error = $"At most {MaxRows} contacts per file.";
            return false;
        }

        return true;
    }
}
