using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// <c>GET</c> and <c>PUT /api/v1/inboxes/{id}/calls</c> (settings permission): which calls a widget inbox's visitors may
/// start. Without a stored row the server's <c>Kefu:Calls:VisitorsMayRequest</c> is the answer for all three kinds.
/// Another workspace's inbox, a deleted one or an id that does not exist is <c>inbox_not_found</c>.
/// </summary>
internal sealed class InboxCallSettingsStore(
    IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IOptions<CallsOptions> options, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/inboxes/{id:guid}/calls", async Task<Results<Ok<InboxCallSettingsDto>, ProblemHttpResult>> (Guid id, HttpContext http, InboxCallSettingsStore store, CancellationToken ct) =>
                Result(await store.GetAsync(AgentIdentity.From(http.User)!, id, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetInboxCallSettings")
            .WithTags("Calls");
        api.MapPut("/inboxes/{id:guid}/calls", async Task<Results<Ok<InboxCallSettingsDto>, ProblemHttpResult>> (
                Guid id, UpdateInboxCallSettingsRequest request, HttpContext http, InboxCallSettingsStore store, CancellationToken ct) =>
                Result(await store.UpdateAsync(AgentIdentity.From(http.User)!, id, request, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateInboxCallSettings")
            .WithTags("Calls");
    }

    /// <summary>What a visitor of <paramref name="inboxId"/> may start now (calls off: nothing).</summary>
    public async Task<VisitorCallMedia> ForVisitorAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        var current = options.Value;
        if (!current.Enabled)
        {
            return VisitorCallMedia.None;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<InboxCallSettings>().AsNoTracking()
            .FirstOrDefaultAsync(s => s.InboxId == inboxId && s.TenantId == tenantId, cancellationToken);
        return row is null ? VisitorCallMedia.All(current.VisitorsMayRequest) : new VisitorCallMedia(row.VisitorVoice, row.VisitorVideo, row.VisitorScreen);
    }

    public async Task<(InboxCallSettingsDto? Settings, KefuError? Error)> GetAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return (null, CallSettingsErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await WidgetInboxExistsAsync(db, caller.TenantId, inboxId, cancellationToken))
        {
            return (null, CallSettingsErrors.InboxNotFound);
        }

        var row = await db.Set<InboxCallSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.InboxId == inboxId, cancellationToken);
        return (Dto(row), null);
    }

    public async Task<(InboxCallSettingsDto? Settings, KefuError? Error)> UpdateAsync(
        AgentIdentity caller, Guid inboxId, UpdateInboxCallSettingsRequest request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return (null, CallSettingsErrors.Forbidden);
        }

        try
        {
            return await SaveAsync(caller, inboxId, request, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first saves of the same inbox at once (the row's key), or a row removed meanwhile: the last one wins,
            // as for any settings page, by saving again against what is stored now.
            return await SaveAsync(caller, inboxId, request, cancellationToken);
        }
    }

    private async Task<(InboxCallSettingsDto? Settings, KefuError? Error)> SaveAsync(
        AgentIdentity caller, Guid inboxId, UpdateInboxCallSettingsRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await WidgetInboxExistsAsync(db, caller.TenantId, inboxId, cancellationToken))
        {
            return (null, CallSettingsErrors.InboxNotFound);
        }

        var row = await db.Set<InboxCallSettings>().FirstOrDefaultAsync(s => s.InboxId == inboxId, cancellationToken);
        if (request.UseServerDefault)
        {
            if (row is not null)
            {
                db.Remove(row);
            }

            row = null;
        }
        else
        {
            if (row is null)
            {
                row = new InboxCallSettings { InboxId = inboxId, TenantId = caller.TenantId };
                db.Add(row);
            }

            row.VisitorVoice = request.VisitorVoice;
            row.VisitorVideo = request.VisitorVideo;
            row.VisitorScreen = request.VisitorScreen;
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        }

        var detail = row is null ? "calls.visitors=default"
            : $"calls.visitors.voice={Flag(row.VisitorVoice)}, calls.visitors.video={Flag(row.VisitorVideo)}, calls.visitors.screen={Flag(row.VisitorScreen)}";
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), detail).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (Dto(row), null);
    }

    private InboxCallSettingsDto Dto(InboxCallSettings? row)
    {
        var server = options.Value;
        var fallback = server.Enabled && server.VisitorsMayRequest;
        return row is null
            ? new InboxCallSettingsDto(fallback, fallback, fallback, true, server.Enabled)
            : new InboxCallSettingsDto(row.VisitorVoice, row.VisitorVideo, row.VisitorScreen, false, server.Enabled);
    }

    // Calls happen in the widget only: other channels have no call settings (and answer as if the inbox did not exist).
    private static Task<bool> WidgetInboxExistsAsync(KefuDbContext db, Guid tenantId, Guid inboxId, CancellationToken cancellationToken) =>
        db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == tenantId && i.ArchivedAt == null && i.Channel == ChannelType.WebWidget, cancellationToken);

    private static string Flag(bool value) => value ? "true" : "false";

    private static Results<Ok<InboxCallSettingsDto>, ProblemHttpResult> Result((InboxCallSettingsDto? Settings, KefuError? Error) result) =>
        result.Error is null ? TypedResults.Ok(result.Settings!) : KefuProblems.Problem(result.Error);
}
