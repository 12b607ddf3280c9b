using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// <c>POST /api/v1/inboxes/{id}/wechat/check</c> (settings permission): asks for an access token with the stored
/// credentials, through the shared token store, so a check never retires the token other nodes are sending with.
/// </summary>
internal sealed class CheckWeChatCredentials(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, WeChatSettingsStore store, WeChatAccessTokens tokens)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes/{id:guid}/wechat/check", async Task<Results<Ok<WeChatCheckResult>, ProblemHttpResult>> (Guid id, HttpContext http, CheckWeChatCredentials handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is var (result, error) && error is null
                    ? TypedResults.Ok(result!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CheckWeChatCredentials")
            .WithTags("WeChat");

    public async Task<(WeChatCheckResult? Result, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        Inbox? inbox;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            inbox = await InboxEdits.FindAsync(db, caller.TenantId, inboxId, cancellationToken);
        }

        if (inbox is not { Channel: ChannelType.WeChatOfficialAccount } || store.Read(inbox.ChannelSettings) is not { } settings)
        {
            return (null, WeChatErrors.NotWeChat);
        }

        try
        {
            await tokens.GetAsync(inbox.Id, settings, null, cancellationToken);
            return (new WeChatCheckResult(true, null), null);
        }
        catch (WeChatApiException refused)
        {
            return (new WeChatCheckResult(false, refused.Code), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            return (new WeChatCheckResult(false, null), null);
        }
    }
}
