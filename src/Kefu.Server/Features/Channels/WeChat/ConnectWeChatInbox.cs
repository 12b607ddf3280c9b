using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// <c>POST /api/v1/inboxes/wechat</c> (settings permission): a new Official Account inbox from its credentials. The
/// answer carries the callback URL to paste into WeChat; the secrets are stored encrypted and never returned.
/// </summary>
internal sealed class ConnectWeChatInbox(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, WeChatSettingsStore store, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes/wechat", async Task<Results<Created<WeChatInboxDto>, ProblemHttpResult>> (WeChatSettingsRequest request, HttpContext http, ConnectWeChatInbox handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, request, InboxHttp.BaseUrl(http.Request), ct) is var (inbox, error) && error is null
                    ? TypedResults.Created($"/api/v1/inboxes/{inbox!.InboxId}/wechat", inbox) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("ConnectWeChatInbox")
            .WithTags("WeChat");

    public async Task<(WeChatInboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, WeChatSettingsRequest request, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        var (name, nameError) = InboxRules.Name(request.Name);
        var (settings, settingsError) = WeChatRules.Settings(request, null);
        if ((nameError ?? settingsError) is { } invalid)
        {
            return (null, invalid);
        }

        var ticks = time.GetUtcNow().UtcDateTime.Ticks;
        var now = new DateTime(ticks - ticks % 10, DateTimeKind.Utc);
        var inbox = new Inbox
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = name!, Channel = ChannelType.WeChatOfficialAccount,
            ChannelSettings = store.Write(settings!), CreatedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Inboxes.Add(inbox);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inbox.Id.ToString(),
            $"created channel={inbox.Channel} safeMode={(settings!.SafeMode ? "true" : "false")}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (WeChatRules.Dto(inbox, settings, baseUrl), null);
    }
}
