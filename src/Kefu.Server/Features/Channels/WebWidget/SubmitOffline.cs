using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>
/// <c>POST /api/v1/widget/offline</c> (visitor token): "leave us a message" when nobody can answer. The whole submission
/// is checked first (a refusal, <c>invalid_offline</c> with its <c>field</c>, stores nothing). The message then takes the
/// widget's own durable path (journaled, idempotent by client id, the conversation created when none is open), the name
/// and e-mail go to the contact as the pre-chat form's do, and the conversation becomes a left message out of the line.
/// Every step is idempotent, so the widget's retry of the same submission completes it without doubling anything.
/// </summary>
internal sealed class SubmitOffline(
    IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, IInboundMessages messages, IContactDetails contacts, ILeftMessages leftMessages)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/offline", async Task<Results<Ok<SendMessageResult>, ProblemHttpResult>> (OfflineSubmission request, HttpContext http, SubmitOffline handler, CancellationToken ct) =>
                // Only a visitor's token names a contact: any other caller (an agent's token) is refused, not guessed at.
                VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(InboxErrors.Forbidden)
                : await handler.HandleAsync(visitor, request, ct) is var (result, error) && error is null ? TypedResults.Ok(result!)
                : KefuProblems.Problem(error, http.Response))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            // Per client IP like the pre-chat form: a script must not fill the inbox or rewrite contacts in a loop.
            .RequireRateLimiting(WidgetModule.FeedbackRateLimit)
            // The widget sends an Idempotency-Key with each submission (the same on its retries): a retry answers what
            // the first did without running anything again, on top of the client id that keeps the message single.
            .CreatesResource()
            .WithName("SubmitOffline")
            .WithTags("Widget");

    public async Task<(SendMessageResult? Result, KefuError? Error)> HandleAsync(VisitorIdentity visitor, OfflineSubmission? request, CancellationToken cancellationToken)
    {
        var inbox = await inboxes.ByIdAsync(visitor.InboxId, cancellationToken);
        if (inbox is null || inbox.TenantId != visitor.TenantId || inbox.ArchivedAt is not null)
        {
            return (null, InboxErrors.InboxNotFound);
        }

        if (!OfflineRules.Read(inbox.OfflineForm).Enabled)
        {
            return (null, new KefuError("offline_off", "This inbox has no offline form."));
        }

        var (submission, invalid) = OfflineRules.Submission(request);
        if (submission is null)
        {
            return (null, invalid);
        }

        var (written, error) = await messages.ReceiveAsync(
            new InboundMessage(visitor.TenantId, visitor.InboxId, visitor.ContactId, submission.ClientMessageId!, submission.Message), cancellationToken);
        if (written is null)
        {
            return (null, error);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Phone null: the offline form does not ask for it, and null keeps what the contact has.
            if (!await contacts.TellAsync(db, visitor.TenantId, visitor.ContactId, submission.Name, submission.Email, null, cancellationToken))
            {
                return (null, new KefuError("contact_not_found", "The visitor's contact no longer exists."));
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await leftMessages.MarkAsync(visitor.TenantId, visitor.ContactId, written.ConversationId, cancellationToken);
        return (written, null);
    }
}
