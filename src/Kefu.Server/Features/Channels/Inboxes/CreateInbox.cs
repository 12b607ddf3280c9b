using System.Security.Cryptography;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>POST /api/v1/inboxes</c> (settings permission): a new web widget inbox with a fresh widget key. Other channel
/// types have no adapter on this server yet and are refused rather than created half-working.
/// </summary>
internal sealed class CreateInbox(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes", async Task<Results<Created<InboxDto>, ProblemHttpResult>> (CreateInboxRequest request, HttpContext http, CreateInbox handler, CancellationToken ct) =>
            {
                var (inbox, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, InboxHttp.BaseUrl(http.Request), ct);
                return error is null ? TypedResults.Created($"/api/v1/inboxes/{inbox!.Id}", inbox) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CreateInbox")
            .WithTags("Inboxes");

    public async Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, CreateInboxRequest request, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        var (name, nameError) = InboxRules.Name(request.Name);
        var (origins, originError) = InboxRules.Origins(request.AllowedOrigins);
        if ((nameError ?? originError) is { } invalid)
        {
            return (null, invalid);
        }

        if (request.Channel != ChannelType.WebWidget)
        {
            return (null, InboxErrors.ChannelNotAvailable with { Field = "channel" });
        }

        // Whole microseconds: PostgreSQL keeps no more, and the answer must say what was stored.
        var ticks = time.GetUtcNow().UtcDateTime.Ticks;
        var now = new DateTime(ticks - ticks % 10, DateTimeKind.Utc);
        var inbox = new Inbox
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = name!, Channel = ChannelType.WebWidget,
            WidgetKey = NewKey(), AllowedOrigins = string.Join(' ', origins!), CreatedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Inboxes.Add(inbox);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inbox.Id.ToString(), $"created channel={inbox.Channel} origins={origins!.Count}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (InboxDto.From(inbox, baseUrl), null);
    }

    /// <summary>24 characters of a 32-letter alphabet without look-alikes (120 bits): not a secret, but not guessable.</summary>
    public static string NewKey() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 24);
}
