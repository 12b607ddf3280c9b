using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts;

/// <summary>How the console alerts the user to a new offer, transfer or message.</summary>
/// <param name="Sound">Play a sound.</param>
/// <param name="Desktop">Show a browser notification (where the browser allows it: that permission stays the browser's).</param>
public sealed record AlertChoices(bool Sound, bool Desktop);

/// <summary>
/// <c>GET /api/v1/account/alerts</c>: the caller's alert choices, kept on the account so they follow the user to
/// another browser or device. The console's bell reads them through the same handler.
/// </summary>
internal sealed class GetAlertChoices(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/account/alerts", async Task<Results<Ok<AlertChoices>, ProblemHttpResult>> (HttpContext http, GetAlertChoices handler, CancellationToken ct) =>
            {
                var (choices, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, ct);
                return error is null ? TypedResults.Ok(choices!) : KefuProblems.Problem(error);
            })
            .WithName("GetAlertChoices")
            .WithTags("Account");

    public async Task<(AlertChoices?, KefuError?)> HandleAsync(AgentIdentity caller, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var choices = await db.Users.Where(u => u.Id == caller.UserId && u.TenantId == caller.TenantId)
            .Select(u => new AlertChoices(!u.AlertSoundOff, u.AlertDesktop)).FirstOrDefaultAsync(cancellationToken);
        return choices is null ? (null, AlertErrors.AccountNotFound) : (choices, null);
    }
}

/// <summary>Typed errors of the alert choices.</summary>
public static class AlertErrors
{
    /// <summary>The caller's account is gone.</summary>
    public static readonly KefuError AccountNotFound = new("account_not_found", "No such account.");

    /// <summary>A choice is missing; <see cref="KefuError.Field"/> names it.</summary>
    /// <param name="field">The camelCase request field.</param>
    public static KefuError Missing(string field) => new KefuError("invalid_alert_choices", $"{field} must be true or false.") with { Field = field };
}
