using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>
/// <c>POST /api/v1/widget/prechat</c> (visitor token): the visitor's answers to the inbox's pre-chat form. Checked against
/// the form as it is now; the name, e-mail and phone go to the contact and the department's skills are kept for
/// routing, in one transaction. A refused answer (<c>invalid_prechat</c> with its <c>field</c>) stores nothing.
/// </summary>
internal sealed class SubmitPreChat(IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, IContactDetails contacts, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/prechat", async Task<Results<NoContent, ProblemHttpResult>> (PreChatAnswers request, HttpContext http, SubmitPreChat handler, CancellationToken ct) =>
                // Only a visitor's token names a contact: any other caller (an agent's token) is refused, not guessed at.
                VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(InboxErrors.Forbidden)
                : await handler.HandleAsync(visitor, request, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            // Per client IP like session starts: a script must not rewrite contacts in a loop.
            .RequireRateLimiting(WidgetModule.FeedbackRateLimit)
            .WithName("SubmitPreChat")
            .WithTags("Widget");

    public async Task<KefuError?> HandleAsync(VisitorIdentity visitor, PreChatAnswers? request, CancellationToken cancellationToken)
    {
        var inbox = await inboxes.ByIdAsync(visitor.InboxId, cancellationToken);
        if (inbox is null || inbox.TenantId != visitor.TenantId || inbox.ArchivedAt is not null)
        {
            return InboxErrors.InboxNotFound;
        }

        var form = PreChatRules.Read(inbox.PreChatForm);
        if (!form.Enabled)
        {
            return new KefuError("prechat_off", "This inbox has no pre-chat form.");
        }

        var (answers, error) = PreChatRules.Answers(form, request);
        if (answers is null)
        {
            return error;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await contacts.TellAsync(db, visitor.TenantId, visitor.ContactId, answers.Name, answers.Email, answers.Phone, cancellationToken))
        {
            return new KefuError("contact_not_found", "The visitor's contact no longer exists.");
        }

        var department = answers.Department is { } index ? form.Departments![index] : null;
        var row = await db.PreChatSubmissions.FirstOrDefaultAsync(p => p.ContactId == visitor.ContactId, cancellationToken);
        if (row is null)
        {
            row = new PreChatSubmission { ContactId = visitor.ContactId, TenantId = visitor.TenantId, InboxId = visitor.InboxId };
            db.PreChatSubmissions.Add(row);
        }

        row.Department = department?.Label;
        row.RequiredSkills = department?.Skills ?? "";
        row.SubmittedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
