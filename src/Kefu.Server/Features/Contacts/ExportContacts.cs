using System.Globalization;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// <c>GET /api/v1/contacts/export?tag=</c> (permissions Contacts and ContactsExport): the workspace's contacts as CSV,
/// streamed in batches by id so memory stays flat for any number of contacts. E-mail and phone as stored (masked where
/// masking took them). Audited. Safe to open in a spreadsheet: every cell is quoted, line breaks become spaces, and a
/// cell that a spreadsheet would read as a formula (<c>= + - @</c>, tab, CR) is prefixed with <c>'</c>.
/// </summary>
internal sealed class ExportContacts(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit)
{
    public const int BatchSize = 1000;
    private static readonly string[] Columns = ["id", "name", "email", "phone", "tags", "customerId", "unverifiedCustomerId", "createdAt", "lastSeenAt"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contacts/export", async Task<Results<PushStreamHttpResult, ProblemHttpResult>> (string? tag, HttpContext http, ExportContacts handler, CancellationToken ct) =>
            {
                var caller = AgentIdentity.From(http.User)!;
                if (await handler.AuthorizeAsync(caller, tag, ct) is { } error)
                {
                    return KefuProblems.Problem(error);
                }

                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Stream(body => handler.WriteAsync(body, caller.TenantId, tag, http.RequestAborted), "text/csv; charset=utf-8", "contacts.csv");
            })
            .WithName("ExportContacts")
            .WithTags("Contacts")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(AccessPolicies.For(Permission.ContactsExport));

    /// <summary>Checks the caller and the filter, and records the export before a byte is sent.</summary>
    public async Task<KefuError?> AuthorizeAsync(AgentIdentity caller, string? tag, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken) || !await access.AllowsAsync(caller, Permission.ContactsExport, cancellationToken))
        {
            return ContactErrors.Forbidden;
        }

        if (tag is not null && ContactTags.TryNormalize([tag], out _) is not [_])
        {
            return new KefuError("invalid_contact_query", "tag is not a tag.") with { Field = "tag" };
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        audit.Add(db, new AuditRecord(AuditActions.DataExported, "contacts", null, tag is null ? "format=csv" : "format=csv tag=" + tag).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task WriteAsync(Stream body, Guid tenantId, string? tag, CancellationToken cancellationToken)
    {
        // The BOM makes spreadsheet programs read UTF-8 (names in Chinese) instead of the system code page.
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        var line = new StringBuilder(256);
        Guid? after = null;
        while (true)
        {
            List<(Contact Contact, string? CustomerId)> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var rows = db.Contacts.AsNoTracking().Where(c => c.TenantId == tenantId && c.MergedIntoId == null);
                if (tag?.Trim().ToLowerInvariant() is { Length: > 0 } t)
                {
                    var padded = " " + t + " ";
                    rows = rows.Where(c => (" " + c.Tags.ToLower() + " ").Contains(padded));
                }

                if (after is { } last)
                {
                    rows = rows.Where(c => c.Id.CompareTo(last) > 0);
                }

                var page = await rows.OrderBy(c => c.Id).Take(BatchSize).Select(c => new
                {
                    Contact = c,
                    CustomerId = db.ContactIdentities.Where(i => i.ContactId == c.Id && i.Kind == IdentityKind.External).Select(i => i.Value).FirstOrDefault(),
                }).ToListAsync(cancellationToken);
                batch = page.ConvertAll(p => (p.Contact, p.CustomerId));
            }

            foreach (var (c, customerId) in batch)
            {
                line.Clear();
                string?[] cells = [c.Id.ToString(), c.Name, c.Email, c.Phone, c.Tags, customerId, c.UnverifiedExternalId, Time(c.CreatedAt), Time(c.LastSeenAt)];
                for (var i = 0; i < cells.Length; i++)
                {
                    line.Append(i == 0 ? "" : ",").Append(Cell(cells[i]));
                }

                await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
            }

            await writer.FlushAsync(cancellationToken);
            if (batch.Count < BatchSize)
            {
                return;
            }

            after = batch[^1].Contact.Id;
        }
    }

    /// <summary>One quoted cell: quotes doubled, line breaks flattened, a formula-looking start defused with <c>'</c>.</summary>
    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var flat = value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            flat = "'" + flat;
        }

        return "\"" + flat.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
