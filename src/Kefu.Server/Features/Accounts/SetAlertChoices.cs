using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts;

/// <summary>The alert choices to store; both are required, so a partial body cannot flip one by accident.</summary>
/// <param name="Sound">Play a sound.</param>
/// <param name="Desktop">Show a browser notification.</param>
public sealed record AlertChoicesRequest(bool? Sound, bool? Desktop);

/// <summary>
/// <c>PUT /api/v1/account/alerts</c>: the caller's alert choices, stored on their account (the bell's switches call
/// the same handler). Audited as a setting change with the new values, which are not personal data.
/// </summary>
internal sealed class SetAlertChoices(IDbContextFactory<KefuDbContext> dbFactory, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/account/alerts", async Task<Results<Ok<AlertChoices>, ProblemHttpResult>> (AlertChoicesRequest request, HttpContext http, SetAlertChoices handler, CancellationToken ct) =>
            {
                var (choices, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Ok(choices!) : KefuProblems.Problem(error);
            })
            .WithName("SetAlertChoices")
            .WithTags("Account");

    public async Task<(AlertChoices?, KefuError?)> HandleAsync(AgentIdentity caller, AlertChoicesRequest request, CancellationToken cancellationToken)
    {
        if (request.Sound is not { } sound)
        {
            return (null, AlertErrors.Missing("sound"));
        }

        if (request.Desktop is not { } desktop)
        {
            return (null, AlertErrors.Missing("desktop"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == caller.UserId && u.TenantId == caller.TenantId, cancellationToken);
        if (user is null)
        {
            return (null, AlertErrors.AccountNotFound);
        }

        if (user.AlertSoundOff == sound || user.AlertDesktop != desktop)
        {
            (user.AlertSoundOff, user.AlertDesktop) = (!sound, desktop);
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "agent", caller.UserId.ToString(), $"alerts: sound={sound}; desktop={desktop}".ToLowerInvariant()).By(caller));
            await db.SaveChangesAsync(cancellationToken);
        }

        return (new AlertChoices(sound, desktop), null);
    }
}
