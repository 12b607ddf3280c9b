using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>Starts or resumes a widget visitor: <c>POST /api/v1/widget/sessions</c>.</summary>
/// <param name="Key">The inbox's widget key from the script tag.</param>
/// <param name="Token">The visitor token stored from an earlier visit, if any: the same contact continues.</param>
public sealed record CreateWidgetSessionRequest([property: Required, MaxLength(64)] string Key, [property: MaxLength(1024)] string? Token);

/// <summary>A visitor session.</summary>
/// <param name="Token">Visitor token for the hub and the API (Bearer, or access_token on WebSockets).</param>
/// <param name="ExpiresAt">When the token stops working, UTC.</param>
/// <param name="ContactId">The visitor's contact id.</param>
/// <param name="InboxName">Name to show in the widget header.</param>
/// <param name="Greeting">Greeting to show above a new conversation.</param>
/// <param name="Appearance">The inbox's look: colour, corner, launcher text.</param>
/// <param name="BotName">The bot's name in every language; null: the widget shows its default name of the visitor's language.</param>
/// <param name="PreChat">
/// The pre-chat form to show before the first message; null when the inbox has none or this visitor has answered it or
/// already has a conversation.
/// </param>
/// <param name="Offline">The offline form and whether nobody can answer now; null when the inbox has the form off.</param>
/// <param name="ContactName">The name the visitor gave before (pre-chat or offline form), to prefill the offline form; null when none.</param>
/// <param name="AvatarUrl">
/// The inbox's avatar, relative to Kefu's origin (the widget's frame is served from there, so the address holds
/// behind any proxy); null: the widget shows the inbox's initial.
/// </param>
public sealed record WidgetSession(string Token, DateTime ExpiresAt, Guid ContactId, string InboxName, string? Greeting, WidgetLook Appearance, string? BotName,
    PreChatForm? PreChat = null, WidgetOfflineForm? Offline = null, string? ContactName = null, string? AvatarUrl = null);

/// <summary>How the widget looks, as the inbox's settings say.</summary>
/// <param name="Color">Accent colour, <c>#rrggbb</c>.</param>
/// <param name="Position">The page corner: right or left.</param>
/// <param name="LauncherText">Text beside the launcher icon, or null.</param>
public sealed record WidgetLook(string Color, WidgetPosition Position, string? LauncherText);

internal sealed class CreateWidgetSession(
    IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, VisitorTokens tokens, IAgentAvailability availability, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/sessions", (CreateWidgetSessionRequest request, HttpRequest http, CreateWidgetSession handler, CancellationToken ct) =>
                handler.HandleAsync(request, http, ct))
            .WithName("CreateWidgetSession")
            .WithTags("Widget")
            .AllowAnonymous()
            .RequireRateLimiting(WidgetModule.SessionRateLimit);

    public async Task<Results<Ok<WidgetSession>, NotFound, ProblemHttpResult>> HandleAsync(
        CreateWidgetSessionRequest request, HttpRequest http, CancellationToken cancellationToken)
    {
        var inbox = await inboxes.ByKeyAsync(request.Key, cancellationToken);
        if (inbox is null)
        {
            return TypedResults.NotFound();
        }

        if (!OriginPolicy.IsAllowedForInbox(http, inbox.AllowedOriginList()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This site may not use this inbox.",
                type: "https://kefu.dev/problems/origin-not-allowed");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var earlier = tokens.Read(request.Token);
        Contact? contact = earlier is not null && earlier.InboxId == inbox.Id
            ? await db.Contacts.FirstOrDefaultAsync(c => c.Id == earlier.ContactId && c.TenantId == inbox.TenantId, cancellationToken)
            : null;
        if (contact?.MergedIntoId is { } survivor)
        {
            // The visitor's contact was merged (by an agent, or by signing in on another device): continue as the survivor.
            contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == survivor && c.TenantId == inbox.TenantId, cancellationToken);
        }

        if (contact is null)
        {
            var id = Guid.CreateVersion7(now);
            contact = new Contact { Id = id, TenantId = inbox.TenantId, Name = GeneratedName(id), CreatedAt = now };
            db.Contacts.Add(contact);
        }

        contact.LastSeenAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var (token, expires) = tokens.Issue(new VisitorIdentity(inbox.TenantId, inbox.Id, contact.Id));
        var form = PreChatRules.Read(inbox.PreChatForm);
        var asked = form.Enabled && !await db.PreChatSubmissions.AnyAsync(p => p.ContactId == contact.Id, cancellationToken) &&
                    !await db.Conversations.AnyAsync(c => c.ContactId == contact.Id, cancellationToken);
        return TypedResults.Ok(new WidgetSession(token, expires, contact.Id, inbox.Name, inbox.Greeting,
            new WidgetLook(inbox.WidgetColor, inbox.WidgetPosition, inbox.LauncherText), inbox.BotName, asked ? form : null,
            await OfflineAsync(inbox, cancellationToken), contact.Name != GeneratedName(contact.Id) ? contact.Name : null,
            InboxAvatars.PathOf(inbox.AvatarFile)));
    }

    /// <summary>A new visitor's name until they give one: the console shows it in the reader's language.</summary>
    private static string GeneratedName(Guid contactId) => "Visitor " + contactId.ToString("N")[^4..].ToUpperInvariant();

    /// <summary>
    /// The offline form, and whether the widget should show it now: outside business hours, or with no agent able to take
    /// the conversation, as the inbox's form chooses. The same questions the bot and the router ask.
    /// </summary>
    private async Task<WidgetOfflineForm?> OfflineAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        var form = OfflineRules.Read(inbox.OfflineForm);
        if (!form.Enabled)
        {
            return null;
        }

        var reason = form.OutsideHours && await availability.ClosedAsync(inbox.TenantId, inbox.Id, cancellationToken) is not null ? "closed"
            : form.NoAgents && !await availability.AnyAgentAvailableAsync(inbox.TenantId, inbox.Id, cancellationToken) ? "no_agents"
            : null;
        return new WidgetOfflineForm(form.Intro, reason is not null, reason);
    }
}
