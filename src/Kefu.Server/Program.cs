using Kefu.Server.Console;
using Kefu.Server.Features.Accounts;
using Kefu.Server.Features.Ai;
using Kefu.Server.Features.Accounts.Privacy;
using Kefu.Server.Features.Accounts.SignIn;
using Kefu.Server.Features.Agents;
using Kefu.Server.Features.Analytics;
using Kefu.Server.Features.ApiKeys;
using Kefu.Server.Features.Automation;
using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Bot.Flows;
using Kefu.Server.Features.Calls;
using Kefu.Server.Features.CannedReplies;
using Kefu.Server.Features.Channels;
using Kefu.Server.Features.Channels.Email;
using Kefu.Server.Features.Channels.WeChat;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Collaboration;
using Kefu.Server.Features.Contacts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Knowledge;
using Kefu.Server.Features.Notifications;
using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Search;
using Kefu.Server.Features.Surveys;
using Kefu.Server.Features.Tickets;
using Kefu.Server.Features.VisitorEvents;
using Kefu.Server.Features.Invitations;
using Kefu.Server.Features.Voice;
using Kefu.Server.Features.Webhooks;
using Kefu.Server.Hosting;
using Kefu.Server.Hosting.ApiDocs;
using Kefu.Server.Hosting.Telemetry;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;

// The container's health check runs the same binary (Dockerfile HEALTHCHECK): probe and exit, start nothing.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddKefuHosting(builder.Configuration)
    .AddKefuTelemetry(builder.Configuration)
    .AddApiDocs()
    .AddPersistence(builder.Configuration)
    .AddRealtime(builder.Configuration)
    .AddAccounts(builder.Configuration)
    .AddChannels()
    .AddWidget(builder.Configuration)
    .AddEmailChannel()
    .AddWeChat(builder.Configuration)
    .AddContacts()
    .AddAgents()
    .AddConversations(builder.Configuration)
    .AddKnowledge()
    .AddBot(builder.Configuration)
    .AddAi()
    .AddConversationRouting(builder.Configuration)
    .AddPrivacy(builder.Configuration)
    .AddNotifications(builder.Configuration)
    .AddAutomation(builder.Configuration)
    .AddCollaboration(builder.Configuration)
    .AddCannedReplies()
    .AddSearch()
    .AddVisitorEvents(builder.Configuration)
    .AddInvitations(builder.Configuration)
    .AddApiKeys()
    .AddWebhooks(builder.Configuration)
    .AddSurveys()
    .AddAnalytics(builder.Configuration)
    .AddTickets(builder.Configuration)
    .AddQuality()
    .AddCalls(builder.Configuration)
    .AddVoice()
    .AddConsole();

var app = builder.Build();

app.UseTrustedProxies();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // Malformed bodies and unbindable parameters are the client's fault: 400, not 500.
    StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseRequestLocalization(o => o
    .SetDefaultCulture("en")
    .AddSupportedCultures([.. HostingModule.Cultures.Select(c => c.Name)])
    .AddSupportedUICultures([.. HostingModule.Cultures.Select(c => c.Name)]));
app.UseStaticFiles();
app.UseAuthentication();
app.UseOriginChecks();
app.UseTwoFactorEnrolment();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

var api = app.MapGroup("/api/v1").RequireAuthorization().WithIdempotency().WithListPaging();
app.MapAccountsEndpoints(api);
app.MapWidgetEndpoints(api);
api.MapChannelsEndpoints();
api.MapEmailChannelEndpoints();
api.MapWeChatEndpoints();
app.MapWeChatCallbacks();
app.MapDemoOrders();
api.MapConversationsEndpoints();
api.MapContactsEndpoints();
api.MapKnowledgeEndpoints();
api.MapBotEndpoints();
api.MapAiEndpoints();
api.MapVoiceEndpoints();
api.MapCallEndpoints();
api.MapAgentsEndpoints();
api.MapConversationRoutingEndpoints();
api.MapPrivacyEndpoints();
api.MapNotificationsEndpoints();
api.MapAutomationEndpoints();
api.MapCollaborationEndpoints();
api.MapCannedRepliesEndpoints();
api.MapSearchEndpoints();
api.MapVisitorEventsEndpoints();
api.MapInvitationsEndpoints();
api.MapApiKeysEndpoints();
api.MapWebhooksEndpoints();
api.MapSurveysEndpoints();
api.MapAnalyticsEndpoints();
api.MapTicketsEndpoints();
api.MapQualityEndpoints();
app.MapRealtime();
app.MapHealthChecks("/healthz");
app.MapMetrics();
app.MapApiDocs();
MemoryDiagnostics.Map(api);
app.MapStaticAssets();
app.MapConsole();

app.Run();
return 0;

/// <summary>The host; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
