using System.Net.Sockets;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using MailKit;
using MailKit.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// <c>POST /api/v1/inboxes/{id}/email/test</c> (settings permission): logs in to the stored IMAP and SMTP servers and
/// says what failed, as a code (the server's own words can carry user names). Sends no mail and changes nothing.
/// </summary>
internal sealed class TestEmailConnection(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, MailConnections connections)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes/{id:guid}/email/test", async Task<Results<Ok<EmailConnectionTest>, ProblemHttpResult>> (Guid id, HttpContext http, TestEmailConnection handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is var (result, error) && error is null
                    ? TypedResults.Ok(result!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("TestEmailConnection")
            .WithTags("Inboxes");

    public async Task<(EmailConnectionTest? Result, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = await db.Inboxes.AsNoTracking()
            .FirstOrDefaultAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId && i.ArchivedAt == null && i.Channel == ChannelType.Email, cancellationToken);
        if (inbox is null || EmailSettings.Read(inbox) is not { } settings)
        {
            return (null, InboxErrors.InboxNotFound);
        }

        var imap = await TryAsync(async () =>
        {
            using var client = await connections.OpenImapAsync(settings, cancellationToken);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        });
        var smtp = await TryAsync(async () =>
        {
            using var client = await connections.OpenSmtpAsync(settings, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        });
        return (new EmailConnectionTest(imap is null, imap, smtp is null, smtp), null);
    }

    private static async Task<string?> TryAsync(Func<Task> attempt)
    {
        try
        {
            await attempt();
            return null;
        }
        catch (AuthenticationException)
        {
            return "login_failed";
        }
        catch (SslHandshakeException)
        {
            return "tls_failed";
        }
        catch (SocketException)
        {
            return "connect_failed";
        }
        catch (OperationCanceledException)
        {
            return "timeout";
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or CommandException or NotSupportedException)
        {
            return "server_error";
        }
    }
}
