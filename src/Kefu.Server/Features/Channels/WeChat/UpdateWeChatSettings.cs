using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/wechat</c> (settings permission): replaces the credentials; a secret left out keeps
/// the stored one. The cached access token is dropped, so the next reply (or "check credentials") asks WeChat with
/// the new AppSecret.
/// </summary>
internal sealed class UpdateWeChatSettings(InboxEdits edits, WeChatSettingsStore store, WeChatAccessTokens tokens)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/wechat", async Task<Results<Ok<WeChatInboxDto>, ProblemHttpResult>> (Guid id, WeChatSettingsRequest request, HttpContext http, UpdateWeChatSettings handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, InboxHttp.BaseUrl(http.Request), ct) is var (inbox, error) && error is null
                    ? TypedResults.Ok(inbox!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateWeChatSettings")
            .WithTags("WeChat");

    public async Task<(WeChatInboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, WeChatSettingsRequest request, string baseUrl, CancellationToken cancellationToken)
    {
        WeChatSettings? saved = null;
        var (inbox, error) = await edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            if (inbox.Channel != ChannelType.WeChatOfficialAccount)
            {
                return (null, WeChatErrors.NotWeChat);
            }

            var (settings, invalid) = WeChatRules.Settings(request, store.Read(inbox.ChannelSettings));
            if (invalid is not null)
            {
                return (null, invalid);
            }

            inbox.ChannelSettings = store.Write(settings!);
            saved = settings;
            // Which fields changed, never their values.
            return ($"wechat.appId, credentials{(request.AppSecret is null ? "" : " secret")}{(request.Token is null ? "" : " token")}" +
                    $"{(request.EncodingAesKey is null ? "" : " aesKey")} safeMode={(settings!.SafeMode ? "true" : "false")}", null);
        }, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        await tokens.ForgetAsync(inboxId, cancellationToken);
        return (new WeChatInboxDto(inbox!.Id, inbox.Name, saved!.AppId, baseUrl.TrimEnd('/') + ReceiveWeChatCallback.PathFor(inbox.Id),
            saved.Secret is not null, saved.Token is not null, saved.SafeMode), null);
    }
}
