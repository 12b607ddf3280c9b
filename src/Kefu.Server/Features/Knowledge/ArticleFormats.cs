using System.Text;
using System.Text.Json;
using Kefu.Nlu;
using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// The import/export file formats. CSV: header <c>id,question,answer,phrasings,category,language,status</c>,
/// phrasings one per line inside their (quoted) cell, as a spreadsheet writes a cell with line breaks.
/// JSON: an array of objects with the same names, phrasings as an array.
/// Rows are numbered from 1 (the first article), whatever the format.
/// </summary>
internal static class ArticleFormats
{
    private static readonly char[] PhrasingSeparators = ['\r', '\n'];
    private static readonly string[] Header = ["id", "question", "answer", "phrasings", "category", "language", "status"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static bool IsKnown(string? format) => format is "csv" or "json";

    /// <summary>The rows of a file, or errors by row (<c>row 3</c>) when some cannot be read.</summary>
    public static (List<ArticleRecord> Rows, Dictionary<string, string[]> Errors) Parse(string format, string content) =>
        format == "csv" ? ParseCsv(content) : ParseJson(content);

    public static string Write(string format, IEnumerable<ArticleDto> articles) => format == "csv" ? WriteCsv(articles) : WriteJson(articles);

    private static (List<ArticleRecord>, Dictionary<string, string[]>) ParseCsv(string content)
    {
        var rows = new List<ArticleRecord>();
        var errors = new Dictionary<string, string[]>();
        var records = Csv.Read(content)?.Select(r => Array.ConvertAll(r, Csv.Restore)).ToList();
        if (records is null)
        {
            errors["file"] = ["A quoted field is never closed: the file cannot be read as CSV."];
            return (rows, errors);
        }

        var header = records.Count > 0 ? records[0].Select(h => h.Trim().ToLowerInvariant()).ToArray() : [];
        if (!new[] { "question", "answer", "language" }.All(header.Contains))
        {
            errors["file"] = ["The first line must be the header: " + string.Join(',', Header) + " (question, answer and language are required)."];
            return (rows, errors);
        }

        foreach (var record in records.Skip(1))
        {
            if (rows.Count > ImportArticles.MaxRows)
            {
                break; // the import is refused anyway: do not validate (and report) the rest
            }

            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue; // a blank line, e.g. at the end of the file
            }

            string? Field(string name) => Array.IndexOf(header, name) is var at && at >= 0 && at < record.Length ? record[at] : null;
            var number = rows.Count + 1;
            var phrasings = (Field("phrasings") ?? "").Split(PhrasingSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var (row, error) = ToRecord(Field("id"), Field("question"), Field("answer"), phrasings, Field("category"), Field("language"), Field("status"));
            rows.Add(row);
            if (record.Length > header.Length)
            {
                error = (error + " This row has more fields than the header.").Trim();
            }

            if (error is not null)
            {
                AddError(errors, number, error);
            }
        }

        return (rows, errors);
    }

    private static (List<ArticleRecord>, Dictionary<string, string[]>) ParseJson(string content)
    {
        var rows = new List<ArticleRecord>();
        var errors = new Dictionary<string, string[]>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException)
        {
            errors["file"] = ["The file is not valid JSON."];
            return (rows, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                errors["file"] = ["The file must be a JSON array of articles."];
                return (rows, errors);
            }

            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (rows.Count > ImportArticles.MaxRows)
                {
                    break; // the import is refused anyway: do not validate (and report) the rest
                }

                var number = rows.Count + 1;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    rows.Add(new ArticleRecord(null, null, null, null, null, null));
                    AddError(errors, number, "Each row must be an object.");
                    continue;
                }

                var phrasings = item.TryGetProperty("phrasings", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : x.ToString()).ToArray()
                    : [];
                var (record, error) = ToRecord(Text(item, "id"), Text(item, "question"), Text(item, "answer"), phrasings,
                    Text(item, "category"), Text(item, "language"), Text(item, "status"));
                rows.Add(record);
                if (error is not null)
                {
                    AddError(errors, number, error);
                }
            }
        }

        return (rows, errors);
    }

    private static (ArticleRecord, string?) ToRecord(string? id, string? question, string? answer, string[] phrasings, string? category, string? language, string? status)
    {
        var errors = new List<string>();
        Guid? parsedId = null;
        if (!string.IsNullOrWhiteSpace(id))
        {
            if (Guid.TryParse(id, out var g))
            {
                parsedId = g;
            }
            else
            {
                errors.Add("id must be empty or an article id.");
            }
        }

        var parsedStatus = ArticleStatus.Draft;
        if (!string.IsNullOrWhiteSpace(status) && (!Enum.TryParse(status.Trim(), ignoreCase: true, out parsedStatus) || !Enum.IsDefined(parsedStatus)))
        {
            errors.Add("status must be draft or published.");
        }

        var record = new ArticleRecord(parsedId, question, answer, phrasings, category, language, parsedStatus);
        errors.AddRange(ArticleRules.Validate(new ArticleInput(question, answer, phrasings, category, language, parsedStatus)).SelectMany(e => e.Value));
        return (record, errors.Count == 0 ? null : string.Join(" ", errors));
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => value.ToString(),
        } : null;

    private static string WriteCsv(IEnumerable<ArticleDto> articles)
    {
        var output = new StringBuilder();
        Csv.WriteRecord(output, Header);
        foreach (var a in articles)
        {
            Csv.WriteRecord(output, [a.Id.ToString(), a.Question, a.Answer, string.Join("\n", a.Phrasings), a.Category, a.Language, a.Status.ToString().ToLowerInvariant()]);
        }

        return output.ToString();
    }

    private static string WriteJson(IEnumerable<ArticleDto> articles) => JsonSerializer.Serialize(
        articles.Select(a => new
        {
            id = a.Id, question = a.Question, answer = a.Answer, phrasings = a.Phrasings, category = a.Category,
            language = a.Language, status = a.Status.ToString().ToLowerInvariant(),
        }), Json);

    /// <summary>UTF-8 without a byte-order mark, which spreadsheets and <c>jq</c> both read.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(false);

    /// <summary>Row errors, at most <see cref="MaxReportedErrors"/>: a huge bad file gets a short answer.</summary>
    private static void AddError(Dictionary<string, string[]> errors, int row, string error)
    {
        if (errors.Count < MaxReportedErrors)
        {
            errors[$"row {row}"] = [error];
        }
        else
        {
            errors["more"] = ["More rows have errors; fix the ones listed and import again."];
        }
    }

    private const int MaxReportedErrors = 100;
}
