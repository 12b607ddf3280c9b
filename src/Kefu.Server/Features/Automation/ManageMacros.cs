using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// <c>/api/v1/macros</c>: every agent lists the workspace's shared macros and their own, and keeps their own; shared
/// ones need the settings permission to create, change or delete. Someone else's personal macro does not exist for the
/// caller (404). Changes audited without the macro's texts.
/// </summary>
internal sealed class ManageMacros(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/macros", async (HttpContext http, ManageMacros h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(AgentIdentity.From(http.User)!, ct)))
            .WithName("ListMacros").WithTags("Automation");
        api.MapPost("/macros", async Task<Results<Ok<MacroDto>, ProblemHttpResult>> (MacroRequest r, HttpContext http, ManageMacros h, CancellationToken ct) =>
                Result(await h.SaveAsync(AgentIdentity.From(http.User)!, null, r, ct)))
            .WithName("CreateMacro").CreatesResource().WithTags("Automation");
        api.MapPut("/macros/{id:guid}", async Task<Results<Ok<MacroDto>, ProblemHttpResult>> (Guid id, MacroRequest r, HttpContext http, ManageMacros h, CancellationToken ct) =>
                Result(await h.SaveAsync(AgentIdentity.From(http.User)!, id, r, ct)))
            .WithName("UpdateMacro").WithTags("Automation");
        api.MapDelete("/macros/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, ManageMacros h, CancellationToken ct) =>
                await h.DeleteAsync(AgentIdentity.From(http.User)!, id, ct) is { } e ? KefuProblems.Problem(e) : TypedResults.NoContent())
            .WithName("DeleteMacro").WithTags("Automation");
    }

    private static Results<Ok<MacroDto>, ProblemHttpResult> Result((MacroDto?, KefuError?) r) => r.Item2 is null ? TypedResults.Ok(r.Item1!) : KefuProblems.Problem(r.Item2);

    public async Task<IReadOnlyList<MacroDto>> ListAsync(AgentIdentity caller, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Macros.AsNoTracking().Where(m => m.TenantId == caller.TenantId && (m.OwnerId == null || m.OwnerId == caller.UserId))
            .OrderBy(m => m.Name).ToListAsync(ct);
        return [.. rows.Select(ToDto)];
    }

    /// <summary>The caller's own or a shared macro of their workspace, or null.</summary>
    public static Task<Macro?> FindAsync(KefuDbContext db, AgentIdentity caller, Guid id, CancellationToken ct) =>
        db.Macros.FirstOrDefaultAsync(m => m.Id == id && m.TenantId == caller.TenantId && (m.OwnerId == null || m.OwnerId == caller.UserId), ct);

    public async Task<(MacroDto?, KefuError?)> SaveAsync(AgentIdentity caller, Guid? id, MacroRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var macro = id is { } existing ? await FindAsync(db, caller, existing, ct) : null;
        if (id is not null && macro is null)
        {
            return (null, AutomationErrors.MacroNotFound);
        }

        var shared = request.Shared ?? macro is { OwnerId: null };
        if ((shared || macro is { OwnerId: null }) && !await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, AutomationErrors.Forbidden);
        }

        if (await AutomationValidation.MacroAsync(db, caller.TenantId, request, ct) is { } invalid)
        {
            return (null, invalid);
        }

        if (macro is null)
        {
            macro = new Macro { Id = Guid.CreateVersion7(), TenantId = caller.TenantId, Name = "", CreatedAt = now };
            db.Macros.Add(macro);
        }

        macro.Name = SafeText.SingleLine(request.Name);
        macro.OwnerId = shared ? null : caller.UserId;
        macro.Actions = JsonSerializer.Serialize(request.Actions!.Select(a => a with { Value = a.Value?.Trim() }), AutomationValidation.Json);
        macro.UpdatedAt = now;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "macro", macro.Id.ToString(), id is null ? "created" : "updated").By(caller));
        await db.SaveChangesAsync(ct);
        return (ToDto(macro), null);
    }

    public async Task<KefuError?> DeleteAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindAsync(db, caller, id, ct) is not { } macro)
        {
            return AutomationErrors.MacroNotFound;
        }

        if (macro.OwnerId is null && !await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return AutomationErrors.Forbidden;
        }

        db.Macros.Remove(macro);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "macro", id.ToString(), "deleted").By(caller));
        await db.SaveChangesAsync(ct);
        return null;
    }

    public static MacroDto ToDto(Macro m) =>
        new(m.Id, m.Name, m.OwnerId is null, JsonSerializer.Deserialize<List<RuleAction>>(m.Actions, AutomationValidation.Json) ?? []);
}
