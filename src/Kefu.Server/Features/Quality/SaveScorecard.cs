using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// <c>POST /api/v1/quality/scorecards</c> creates a scorecard, <c>PUT /api/v1/quality/scorecards/{id}</c> changes one.
/// Either way a new version is stored (the old one stays with the scores made by it) and a background rescoring of the
/// workspace's resolved conversations is queued for it (<see cref="Rescorer"/>); an older version's rescoring stops.
/// </summary>
internal sealed class SaveScorecard(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time, RescoreSignal rescoreSignal)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/quality/scorecards", async Task<Results<Created<ScorecardDto>, ProblemHttpResult>> (
                ScorecardRequest request, HttpContext http, SaveScorecard handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, null, request, ct);
                return error is null ? TypedResults.Created($"/api/v1/quality/scorecards/{dto!.Id}", dto) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CreateScorecard")
            .WithTags("Quality");
        api.MapPut("/quality/scorecards/{id:guid}", async Task<Results<Ok<ScorecardDto>, ProblemHttpResult>> (
                Guid id, ScorecardRequest request, HttpContext http, SaveScorecard handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateScorecard")
            .WithTags("Quality");
    }

    public async Task<(ScorecardDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid? id, ScorecardRequest? request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, QualityErrors.Forbidden);
        }

        if (ScorecardValidation.Validate(request) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (request!.InboxId is { } inboxId && !await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == agent.TenantId, cancellationToken))
        {
            return (null, QualityErrors.Invalid("inboxId", "inboxId must be an inbox of this workspace."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        Scorecard? card;
        if (id is { } existing)
        {
            card = await db.Set<Scorecard>().FirstOrDefaultAsync(s => s.Id == existing && s.TenantId == agent.TenantId, cancellationToken);
            if (card is null)
            {
                return (null, QualityErrors.ScorecardNotFound);
            }
        }
        else
        {
            card = new Scorecard { Id = Guid.CreateVersion7(), TenantId = agent.TenantId, Name = "", CreatedAt = now };
            db.Add(card);
        }

        var items = request.Items!.Select(Normalise).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var version = new ScorecardVersion
        {
            Id = Guid.CreateVersion7(), ScorecardId = card.Id, TenantId = agent.TenantId, Version = card.Version + 1, Items = QualityJson.Items(items),
            CreatedBy = agent.UserId, CreatedAt = now,
        };
        db.Add(version);
        (card.Name, card.InboxId, card.Active, card.Version, card.VersionId, card.UpdatedAt) =
            (request.Name!.Trim(), request.InboxId, request.Active, version.Version, version.Id, now);
        await db.Set<QualityRescoreJob>().Where(j => j.ScorecardId == card.Id && j.Status == RescoreStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, RescoreStatus.Superseded).SetProperty(j => j.FinishedAt, now), cancellationToken);
        var job = request.Active
            ? new QualityRescoreJob
            {
                Id = Guid.CreateVersion7(), TenantId = agent.TenantId, ScorecardId = card.Id, ScorecardVersionId = version.Id, Version = version.Version,
                Status = RescoreStatus.Pending, CreatedAt = now,
            }
            : null;
        if (job is not null)
        {
            db.Add(job);
        }

        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "scorecard", card.Id.ToString(),
            JsonSerializer.Serialize(new { setting = "quality_scorecard", version = version.Version, items = items.Count, active = request.Active })).By(agent));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        rescoreSignal.Notify();
        return (ListScorecards.ToDto(card, items, job), null);
    }

    /// <summary>Trims what people typed; drops duplicate and blank phrases (validation refused over-long ones already).</summary>
    private static ScorecardItem Normalise(ScorecardItem item) => item with
    {
        Label = string.IsNullOrWhiteSpace(item.Label) ? null : item.Label.Trim(),
        Parameters = item.Parameters is { } p
            ? p with { Phrases = p.Phrases is null ? null : [.. p.Phrases.Select(x => x.Trim()).Where(x => x.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)] }
            : null,
    };
}
