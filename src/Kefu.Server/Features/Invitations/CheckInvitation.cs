using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Invitations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.VisitorEvents.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Invitations;

/// <summary>The widget's check-in: the page it is on and how long it has been there.</summary>
/// <param name="Url">The host page's URL (http or https, at most 2000 characters).</param>
/// <param name="SecondsOnPage">Seconds since the page opened (0–86400).</param>
/// <param name="Language">The widget's language, <c>en</c> or <c>zh</c>.</param>
public sealed record InvitationCheckRequest(string? Url, int SecondsOnPage = 0, string? Language = "en");

/// <summary>An invitation to show now, or when to check in again.</summary>
/// <param name="Invitation">Null: none now.</param>
/// <param name="CheckAgainInSeconds">When a rule waiting only for time on page could match; null: at the next page or heartbeat.</param>
public sealed record InvitationCheckResult(InvitationDto? Invitation, int? CheckAgainInSeconds);

/// <summary>
/// <c>POST /api/v1/widget/invitations/check</c> (visitor token): records where the visitor is (the live list) and
/// evaluates the inbox's rules on the server, which also enforces the frequency cap and records the invitation as shown.
/// </summary>
internal sealed class CheckInvitation(
    IDbContextFactory<KefuDbContext> dbFactory, OnlineVisitors online, IVisitorAttributes attributes, IRoutingCommands routing,
    TimeProvider time, IOptions<InvitationsOptions> options)
{
    // Two tabs of one visitor checking at once must not both pass the cap: one check per visitor at a time (striped).
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/invitations/check", async Task<Results<Ok<InvitationCheckResult>, ProblemHttpResult>> (
                InvitationCheckRequest request, HttpContext http, CheckInvitation handler, CancellationToken ct) =>
            {
                if (VisitorIdentity.From(http.User) is not { } visitor)
                {
                    return KefuProblems.Problem(InvitationErrors.Forbidden);
                }

                var (result, error) = await handler.HandleAsync(visitor, request, ct);
                return error is null ? TypedResults.Ok(result!) : KefuProblems.Problem(error, http.Response);
            })
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            .WithName("CheckInvitation")
            .WithTags("Widget");

    public async Task<(InvitationCheckResult?, KefuError?)> HandleAsync(VisitorIdentity visitor, InvitationCheckRequest? request, CancellationToken cancellationToken)
    {
        if (request?.Url is not { Length: <= 2000 } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            request.SecondsOnPage is < 0 or > 86_400)
        {
            return (null, InvitationErrors.InvalidVisit);
        }

        var presence = online.Touch(visitor.TenantId, visitor.InboxId, visitor.ContactId, url);
        if (presence.TooFrequent)
        {
            var wait = TimeSpan.FromMinutes(1) - (time.GetUtcNow().UtcDateTime - presence.ChecksSince);
            return (null, new KefuError(KefuError.RateLimitedCode, "Too many invitation checks; wait before checking again.", RetryAfter.Seconds(wait)));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.Set<InvitationRule>().AsNoTracking().Where(r => r.InboxId == visitor.InboxId && r.TenantId == visitor.TenantId && r.Enabled)
            .OrderBy(r => r.Position).ToListAsync(cancellationToken);
        if (rules.Count == 0)
        {
            return (new InvitationCheckResult(null, null), null);
        }

        var stripe = _stripes[(visitor.ContactId.GetHashCode() & int.MaxValue) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            if (await VisitAsync(db, visitor, rules, presence, request, cancellationToken) is not { } visit)
            {
                return (null, new KefuError("contact_not_found", "The visitor's contact no longer exists."));
            }

            var history = await HistoryAsync(db, visitor, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var (rule, again) = InvitationMatcher.Choose(rules, visit, history, now);
            if (rule is null)
            {
                return (new InvitationCheckResult(null, again), null);
            }

            var show = new InvitationShow
            {
                Id = Guid.CreateVersion7(), TenantId = visitor.TenantId, InboxId = visitor.InboxId, ContactId = visitor.ContactId, RuleId = rule.Id, ShownAt = now,
            };
            db.Add(show);
            await db.SaveChangesAsync(cancellationToken);
            return (new InvitationCheckResult(new InvitationDto(show.Id, rule.TextEn, rule.TextZh, rule.OpenWidget, FromAgent: false), null), null);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<VisitContext?> VisitAsync(KefuDbContext db, VisitorIdentity visitor, List<InvitationRule> rules, Presence presence,
        InvitationCheckRequest request, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == visitor.ContactId).Select(c => new { c.Tags, c.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
        if (contact is null)
        {
            return null; // erased while its token still works
        }

        var tags = contact.Tags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Only what some rule asks for is read: most inboxes never name an attribute or business hours.
        var values = rules.Any(r => r.AttributeKey is not null)
            ? await attributes.GetAsync(visitor.TenantId, visitor.ContactId, cancellationToken)
            : new Dictionary<string, string>();
        var inside = rules.Any(r => r.DuringBusinessHours) && await routing.IsOpenAsync(visitor.TenantId, visitor.InboxId, time.GetUtcNow(), cancellationToken);
        var returning = contact.CreatedAt <= presence.VisitStartedAt - TimeSpan.FromMinutes(options.Value.VisitGapMinutes);
        var language = request.Language is "zh" ? "zh" : "en";
        return new VisitContext(presence.Url, request.SecondsOnPage, presence.Pages, returning, language, tags, values, inside);
    }

    private static async Task<InvitationHistory> HistoryAsync(KefuDbContext db, VisitorIdentity visitor, CancellationToken cancellationToken)
    {
        var shows = db.Set<InvitationShow>().AsNoTracking().Where(s => s.ContactId == visitor.ContactId && s.InboxId == visitor.InboxId);
        var lastShown = await shows.OrderByDescending(s => s.ShownAt).Select(s => (DateTime?)s.ShownAt).FirstOrDefaultAsync(cancellationToken);
        var lastDismissed = await shows.Where(s => s.DismissedAt != null).OrderByDescending(s => s.DismissedAt).Select(s => s.DismissedAt).FirstOrDefaultAsync(cancellationToken);
        var open = await db.Conversations.AnyAsync(c => c.ContactId == visitor.ContactId && c.InboxId == visitor.InboxId && c.Status != ConversationStatus.Resolved, cancellationToken);
        return new InvitationHistory(lastShown, lastDismissed, open);
    }
}
