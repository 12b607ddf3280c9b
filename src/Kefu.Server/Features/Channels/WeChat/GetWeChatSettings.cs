using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary><c>GET /api/v1/inboxes/{id}/wechat</c> (settings permission): the AppID, the callback URL and which secrets are stored.</summary>
internal sealed class GetWeChatSettings(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, WeChatSettingsStore store)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/wechat", async Task<Results<Ok<WeChatInboxDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetWeChatSettings handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, InboxHttp.BaseUrl(http.Request), ct) is var (inbox, error) && error is null
                    ? TypedResults.Ok(inbox!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetWeChatSettings")
            .WithTags("WeChat");

    public async Task<(WeChatInboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = await InboxEdits.FindAsync(db, caller.TenantId, inboxId, cancellationToken);
        return inbox is not { Channel: ChannelType.WeChatOfficialAccount }
            ? (null, WeChatErrors.NotWeChat)
            : (WeChatRules.Dto(inbox, store.Read(inbox.ChannelSettings), baseUrl), null);
    }
}
