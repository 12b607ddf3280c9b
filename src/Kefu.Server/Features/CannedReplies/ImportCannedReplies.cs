using Kefu.Server.Hosting;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>
/// <c>POST /api/v1/canned-replies/import</c>, the CSV file as the body. Every row is checked first — the same rules
/// as one save, plus shortcuts repeated in the file — and when any row is bad nothing is stored and the answer
/// lists the bad rows. A row whose id is a reply the caller may edit replaces it; any other row is a new reply.
/// </summary>
internal sealed class ImportCannedReplies(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 2000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/canned-replies/import", async Task<Results<Ok<CannedReplyImportResult>, ValidationProblem>> (
                HttpRequest request, ImportCannedReplies handler, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var buffer = new char[MaxBytes + 1];
                var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
                if (read > MaxBytes)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is larger than 2 MB."] });
                }

                var (result, errors) = await handler.HandleAsync(AgentIdentity.From(request.HttpContext.User)!, new string(buffer, 0, read), ct);
                return result is null ? TypedResults.ValidationProblem(errors!, title: "Nothing was imported: fix the rows listed and try again.") : TypedResults.Ok(result);
            })
            .WithName("ImportCannedReplies").CreatesResource()
            .WithTags("CannedReplies")
            .DisableAntiforgery(); // token or SameSite=Lax cookie: a cross-site POST carries no credentials

    public async Task<(CannedReplyImportResult?, Dictionary<string, string[]>?)> HandleAsync(AgentIdentity caller, string content, CancellationToken cancellationToken)
    {
        var (rows, errors) = CannedReplyCsv.Read(content.TrimStart('\uFEFF'), MaxRows);
        if (await CannedReplyViewer.ForAsync(access, caller, cancellationToken) is not { } viewer)
        {
            return (null, new() { ["file"] = ["You are not an active agent of this workspace."] });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var teams = (await db.Teams.Where(t => t.TenantId == caller.TenantId).Select(t => t.Id).ToListAsync(cancellationToken)).ToHashSet();
        var manageable = (await viewer.Visible(db.CannedReplies).ToListAsync(cancellationToken)).Where(viewer.Manages).ToDictionary(r => r.Id);
        var now = time.GetUtcNow().UtcDateTime;
        var staged = new List<(CannedReplyRow Row, CannedReply Reply, bool Created)>();
        foreach (var row in rows.Where(r => !errors.ContainsKey($"row {r.Number}")))
        {
            var (clean, error) = CannedReplyRules.Validate(row.Input);
            var problem = clean is null ? error!.Message
                : !viewer.MayWrite(clean.Scope) ? "Team and shared replies need the knowledge permission."
                : clean.TeamId is { } team && !teams.Contains(team) ? "team_id is not a team of this workspace."
                : null;
            if (problem is not null)
            {
                errors[$"row {row.Number}"] = [problem];
                continue;
            }

            var created = row.Id is not { } id || !manageable.ContainsKey(id);
            var reply = created
                ? new CannedReply { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, ScopeKey = "", Title = "", Shortcut = "", ShortcutKey = "", CreatedAt = now }
                : manageable[row.Id!.Value];
            CannedReplyRules.Apply(reply, clean!, caller.UserId, now);
            staged.Add((row, reply, created));
        }

        await CheckShortcutsAsync(db, caller.TenantId, staged, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        db.CannedReplies.AddRange(staged.Where(s => s.Created).Select(s => s.Reply));
        var (createdCount, updatedCount) = (staged.Count(s => s.Created), staged.Count(s => !s.Created));
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "canned_replies", null,
            $"canned_reply.imported; created={createdCount}; updated={updatedCount}").By(caller));
        await db.SaveChangesAsync(cancellationToken); // one transaction: all rows or none
        return (new CannedReplyImportResult(createdCount, updatedCount), null);
    }

    /// <summary>A shortcut may appear once per scope after the import: against the stored replies the file leaves alone, and within the file.</summary>
    private static async Task CheckShortcutsAsync(KefuDbContext db, Guid tenantId,
        List<(CannedReplyRow Row, CannedReply Reply, bool Created)> staged, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var replaced = staged.Where(s => !s.Created).Select(s => s.Reply.Id).ToHashSet();
        var stored = await db.CannedReplies.AsNoTracking().Where(r => r.TenantId == tenantId)
            .Select(r => new { r.Id, r.ScopeKey, r.ShortcutKey }).ToListAsync(cancellationToken);
        var taken = stored.Where(r => !replaced.Contains(r.Id)).Select(r => (r.ScopeKey, r.ShortcutKey)).ToHashSet();
        var inFile = new Dictionary<(string, string), int>();
        foreach (var (row, reply, _) in staged)
        {
            var key = (reply.ScopeKey, reply.ShortcutKey);
            if (taken.Contains(key))
            {
                errors[$"row {row.Number}"] = [$"The shortcut /{reply.Shortcut} is already used by another reply in this scope."];
            }
            else if (!inFile.TryAdd(key, row.Number))
            {
                errors[$"row {row.Number}"] = [$"The shortcut /{reply.Shortcut} is also on row {inFile[key]} in the same scope."];
            }
        }
    }
}
