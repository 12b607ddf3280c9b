using System.Text;

namespace Kefu.Nlu;

/// <summary>
/// RFC 4180 CSV, small and strict: fields separated by commas, quoted with <c>"</c> when they hold a comma,
/// a quote or a line break (quotes doubled inside). Training data and the knowledge base's import and export both
/// use it (one reader, not one per program). Owned here because the format is small and the one package
/// available carries a different major API.
/// </summary>
public static class Csv
{
    /// <summary>The records of <paramref name="text"/>; null when a quoted field is never closed.</summary>
    public static List<string[]>? Read(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            return null;
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || fields.Count > 0 || field.Length > 0)
            {
                fields.Add(field.ToString());
                records.Add([.. fields]);
            }

            fields.Clear();
            field.Clear();
            fieldStarted = false;
        }
    }

    public static void WriteRecord(StringBuilder output, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var raw in fields)
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            var value = Neutralize(raw);
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                output.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                output.Append(value);
            }
        }

        output.Append("\r\n");
    }

    /// <summary>
    /// Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, and
    /// text here can come from visitors (unanswered questions turned into FAQ entries). Such a cell is
    /// written with a leading apostrophe, which spreadsheets show as text; <see cref="Restore"/> undoes it on import.
    /// </summary>
    public static string Neutralize(string value) =>
        value.Length > 0 && IsFormulaStart(value[0]) ? "'" + value : value;

    /// <summary>Undoes <see cref="Neutralize"/>: one leading apostrophe before a formula character is dropped.</summary>
    public static string Restore(string value) =>
        value.Length > 1 && value[0] == '\'' && IsFormulaStart(value[1]) ? value[1..] : value;

    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';
}
