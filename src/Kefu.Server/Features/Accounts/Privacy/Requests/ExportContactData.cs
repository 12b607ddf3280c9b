using System.IO.Compression;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Requests;

/// <summary>
/// <c>GET /api/v1/contacts/{id}/export</c>: everything Kefu holds about a contact, as a zip — <c>contact.json</c>
/// (profile), <c>conversations.json</c> (each conversation with its messages and timeline), and each
/// <see cref="IPersonalDataHolder"/>'s part (<c>identities.json</c>, <c>attachments.json</c> with the files under
/// <c>attachments/</c>, <c>bot.json</c>). Audited as <c>contact.exported</c>.
/// </summary>
internal sealed class ExportContactData(IDbContextFactory<KefuDbContext> dbFactory, IEnumerable<IPersonalDataHolder> holders, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contacts/{id:guid}/export", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (
                Guid id, HttpContext http, ExportContactData handler, CancellationToken ct) =>
            {
                var file = await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct);
                return file is null
                    ? KefuProblems.Problem(PrivacyErrors.ContactNotFound)
                    : TypedResults.File(file, "application/zip", $"contact-{id:N}.zip");
            })
            .WithName("ExportContactData")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.ContactsExport));

    /// <summary>The export as a stream positioned at its start (a temporary file deleted on close), or null when not found.</summary>
    public async Task<Stream?> HandleAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == tenantId, cancellationToken);
        if (contact is null)
        {
            return null;
        }

        // A file, not memory: attachments can be large. Deleted when the response has been sent.
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "kefu-export-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                var export = new PersonalDataExport(zip);
                await export.AddJsonAsync("contact.json", new { contact.Id, contact.Name, contact.Email, contact.Tags, contact.CreatedAt, contact.LastSeenAt },
                    cancellationToken);
                var conversationIds = await WriteConversationsAsync(db, tenantId, contactId, export, cancellationToken);
                foreach (var holder in holders)
                {
                    await holder.ExportAsync(db, contactId, conversationIds, export, cancellationToken);
                }
            }

            await audit.WriteAsync(new AuditRecord(AuditActions.ContactExported, "contact", contactId.ToString()), cancellationToken);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<Guid>> WriteConversationsAsync(KefuDbContext db, Guid tenantId, Guid contactId, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var conversations = await db.Conversations.AsNoTracking().Where(c => c.ContactId == contactId && c.TenantId == tenantId)
            .OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        var ids = conversations.Select(c => c.Id).ToList();
        var messages = (await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId)).ToListAsync(cancellationToken))
            .ToLookup(m => m.ConversationId);
        var timeline = (await db.ConversationEvents.AsNoTracking().Where(e => ids.Contains(e.ConversationId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.ConversationId);
        await export.AddJsonAsync("conversations.json", conversations.Select(c => new
        {
            c.Id, c.InboxId, c.Status, c.CreatedAt, c.LastMessageAt, c.ResolvedAt,
            Messages = messages[c.Id].OrderBy(m => m.Seq).Select(m => new { m.Seq, m.SenderType, m.SenderName, m.Text, m.AttachmentId, m.CreatedAt }),
            Timeline = timeline[c.Id].OrderBy(e => e.Id).Select(e => new { e.Type, e.ActorType, e.Data, e.CreatedAt }),
        }), cancellationToken);
        return ids;
    }
}
