using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/bot</c> (settings permission): turns the bot on or off and sets its name and greeting.
/// On/off applies to new conversations; conversations the bot already holds keep it until they are handed off. The
/// name applies to the bot's next messages, in both languages.
/// </summary>
internal sealed class UpdateInboxBot(InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/bot", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, InboxBotSettings request, HttpContext http, UpdateInboxBot handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateInboxBot")
            .WithTags("Inboxes");

    public Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, InboxBotSettings request, string baseUrl, CancellationToken cancellationToken) =>
        edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            var (name, nameError) = InboxRules.OptionalLine(request.Name, InboxRules.MaxBotName, "name");
            var (greeting, greetingError) = InboxRules.OptionalText(request.Greeting, "greeting");
            if ((nameError ?? greetingError) is { } invalid)
            {
                return (null, invalid);
            }

            inbox.BotEnabled = request.Enabled;
            inbox.BotName = name;
            inbox.BotGreeting = greeting;
            return ("bot.enabled=" + (request.Enabled ? "true" : "false") + ", bot.name, bot.greeting", null);
        }, cancellationToken);
}
