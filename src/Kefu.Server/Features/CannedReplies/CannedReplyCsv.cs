using System.Text;
using Kefu.Nlu;
using Kefu.Server.Features.CannedReplies.Contracts;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>One row of an import file, as read (nothing checked yet beyond the id and scope being readable).</summary>
internal sealed record CannedReplyRow(int Number, Guid? Id, CannedReplyInput Input);

/// <summary>
/// The CSV import/export format: header <c>id,scope,team_id,shortcut,title,category,text_zh,text_en</c>, one reply a
/// row, line breaks inside quoted cells. Rows are numbered from 1 (the first reply after the header). Cells that a
/// spreadsheet would run as a formula are written with a leading apostrophe and read back without it.
/// </summary>
internal static class CannedReplyCsv
{
    private static readonly string[] Header = ["id", "scope", "team_id", "shortcut", "title", "category", "text_zh", "text_en"];

    public static string Write(IEnumerable<CannedReplyDto> replies)
    {
        var output = new StringBuilder();
        Csv.WriteRecord(output, Header);
        foreach (var r in replies)
        {
            Csv.WriteRecord(output, [r.Id.ToString(), r.Scope.ToString().ToLowerInvariant(), r.TeamId?.ToString() ?? "", r.Shortcut, r.Title, r.Category, r.TextZh ?? "", r.TextEn ?? ""]);
        }

        return output.ToString();
    }

    /// <summary>The rows, or errors by row (<c>row 3</c>) and for the whole file (<c>file</c>).</summary>
    public static (List<CannedReplyRow> Rows, Dictionary<string, string[]> Errors) Read(string content, int maxRows)
    {
        var rows = new List<CannedReplyRow>();
        var errors = new Dictionary<string, string[]>();
        var records = Csv.Read(content)?.Select(r => Array.ConvertAll(r, Csv.Restore)).ToList();
        if (records is null)
        {
            errors["file"] = ["A quoted field is never closed: the file cannot be read as CSV."];
            return (rows, errors);
        }

        var header = records.Count > 0 ? records[0].Select(h => h.Trim().ToLowerInvariant()).ToArray() : [];
        if (!new[] { "shortcut", "title" }.All(header.Contains) || !(header.Contains("text_zh") || header.Contains("text_en")))
        {
            errors["file"] = ["The first line must be the header: " + string.Join(',', Header) + " (shortcut, title and a text are required)."];
            return (rows, errors);
        }

        foreach (var record in records.Skip(1).Where(r => !r.All(string.IsNullOrWhiteSpace)))
        {
            if (rows.Count >= maxRows)
            {
                errors["file"] = [$"At most {maxRows} replies per import."];
                break;
            }

            string? Field(string name) => Array.IndexOf(header, name) is var at && at >= 0 && at < record.Length ? record[at] : null;
            var number = rows.Count + 1;
            Guid? id = null;
            if (!string.IsNullOrWhiteSpace(Field("id")))
            {
                if (Guid.TryParse(Field("id"), out var parsed))
                {
                    id = parsed;
                }
                else
                {
                    errors[$"row {number}"] = ["id is not a valid id (leave it empty for a new reply)."];
                }
            }

            CannedReplyScope? scope = null;
            if (!string.IsNullOrWhiteSpace(Field("scope")))
            {
                if (Enum.TryParse<CannedReplyScope>(Field("scope")!.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s))
                {
                    scope = s;
                }
                else
                {
                    errors[$"row {number}"] = ["scope must be personal, team or shared."];
                }
            }

            Guid? team = Guid.TryParse(Field("team_id"), out var t) ? t : null;
            if (team is null && !string.IsNullOrWhiteSpace(Field("team_id")))
            {
                errors[$"row {number}"] = ["team_id is not a valid id."];
            }

            rows.Add(new CannedReplyRow(number, id, new CannedReplyInput(Field("title"), Field("shortcut"), Field("category"), Field("text_zh"), Field("text_en"), scope, team)));
        }

        return (rows, errors);
    }
}
