using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Access;

/// <summary>
/// Walks every mapped API route and every agent hub method (found at run time, so a new one is covered the day it is
/// mapped) as three callers: nobody (401), an admin of another workspace (never a 2xx on workspace A's objects, never
/// a byte of A's ids in an answer) and a member of workspace A whose role has no permission (403 on every permission
/// route, 404/403 on every object route, and only the routes listed below open to any signed-in agent).
/// </summary>
public sealed class RouteWalkTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    /// <summary>Routes any signed-in agent may use whatever their role: their own account (alert choices included), their own bell, presence and sign-out, the team list for transfers, the knowledge base they answer from, uploads for their replies.</summary>
    private static readonly HashSet<string> OpenToEveryAgent =
    [
        "GET /api/v1/conversations", "GET /api/v1/conversations/counts", "GET /api/v1/teams", "GET /api/v1/knowledge/articles", "GET /api/v1/knowledge/articles/{id:guid}",
        "POST /api/v1/account/password", "PUT /api/v1/agents/me/presence", "POST /api/v1/attachments", "GET /api/v1/attachments/{id:guid}/{name}",
        "GET /api/v1/account/sessions", "DELETE /api/v1/account/sessions/{id:guid}", "GET /api/v1/account/two-factor",
        "POST /api/v1/account/two-factor/authenticator", "POST /api/v1/account/two-factor/enable", "POST /api/v1/account/two-factor/disable",
        "POST /api/v1/account/two-factor/recovery-codes", "PUT /api/v1/account/language",
        "GET /api/v1/account/alerts", "PUT /api/v1/account/alerts", "GET /api/v1/notifications", "POST /api/v1/notifications/read",
        "GET /api/v1/macros", "POST /api/v1/macros", // personal macros: every agent keeps their own
        // Canned replies: everyone keeps their personal ones; the handlers check team and shared scopes (CannedReplyApiTests).
        "GET /api/v1/canned-replies", "GET /api/v1/canned-replies/export",
        "GET /api/v1/search", "POST /api/v1/search", // limited by the caller's conversation scope, as the conversation list is
        "GET /api/v1/quality/my-scores", // the caller's own quality scores and coaching notes
    ];

    /// <summary>Routes that end the caller's own session: walked by their own tests, not here (the walk would sign itself out).</summary>
    private static readonly HashSet<string> EndsOwnSession = ["POST /api/v1/auth/logout", "POST /console/logout"];

    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task EveryRoute_RefusesStrangers_OtherWorkspaces_AndRolesWithoutThePermission()
    {
        var a = await WorkspaceAAsync();
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreignAdmin = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var powerless = await ws.PersonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(powerless.Id, await admin.Http.CreateRoleAsync("Nothing " + Guid.NewGuid().ToString("N")[..6]))).StatusCode);
        using var nobody = _server.Http();

        var failures = new List<string>();
        var routes = Routes().ToList();
        Assert.True(routes.Count > 30, $"only {routes.Count} routes found");
        foreach (var route in routes)
        {
            var key = $"{route.Method} {route.Pattern}";
            var url = Fill(route.Pattern, a, failures);

            var anonymous = await SendAsync(nobody, route.Method, url);
            // 415: an upload route's content-type match happens in routing, before authentication; nothing runs.
            if (anonymous.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.UnsupportedMediaType))
            {
                failures.Add($"{key}: anonymous got {(int)anonymous.StatusCode}");
            }

            if (route.Pattern.StartsWith("/api/v1/widget/", StringComparison.Ordinal))
            {
                continue; // visitor routes: an agent's credentials are not a visitor's (their isolation is in the widget's tests)
            }

            var foreign = await SendAsync(foreignAdmin, route.Method, url);
            var foreignBody = await foreign.Content.ReadAsStringAsync();
            if (route.Pattern.Contains('{') && foreign.IsSuccessStatusCode)
            {
                failures.Add($"{key}: another workspace's admin got {(int)foreign.StatusCode} on workspace A's object");
            }

            if (a.Ids.FirstOrDefault(id => foreignBody.Contains(id, StringComparison.OrdinalIgnoreCase)) is { } leaked)
            {
                failures.Add($"{key}: another workspace's admin read A's id {leaked}");
            }

            var denied = await SendAsync(powerless.Http, route.Method, url);
            var status = (int)denied.StatusCode;
            if (route.Permission is not null && status != 403)
            {
                failures.Add($"{key} (needs {route.Permission}): a role without it got {status}");
            }
            // 400 on the walk's empty body is a refusal too (nothing stored); the scope tests send valid bodies to the same routes.
            else if (route.Permission is null && !OpenToEveryAgent.Contains(key) && status is not (403 or 404) &&
                     !(status == 400 && route.Method is "POST" or "PUT"))
            {
                failures.Add($"{key}: a role with no permission got {status}; protect it with a permission or scope check, or list it as open to every agent");
            }

            if (a.Conversation.ToString() is var hidden && (await denied.Content.ReadAsStringAsync()).Contains(hidden, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}: a role with no conversation scope read a conversation");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task EveryAgentHubMethod_OnAnotherWorkspacesConversation_OrWithoutScope_Fails()
    {
        var a = await WorkspaceAAsync();
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var powerless = await ws.PersonAsync();
        await admin.Http.SetAccessAsync(powerless.Id, await admin.Http.CreateRoleAsync("Nothing " + Guid.NewGuid().ToString("N")[..6]));
        var methods = typeof(KefuFactory).Assembly.GetReferencedAssemblies().Select(Assembly.Load)
            .SelectMany(x => x.GetTypes()).Single(t => t.FullName == "Kefu.Server.Realtime.AgentHub")
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync")).ToList();
        Assert.True(methods.Count >= 10);

        var failures = new List<string>();
        foreach (var token in new[] { await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword), powerless.Token })
        {
            await using var hub = await _server.ConnectAgentAsync(token);
            foreach (var method in methods)
            {
                var args = method.GetParameters().Select(p => Argument(p, a.Conversation)).ToArray();
                var result = await hub.InvokeCoreAsync<JsonElement>(method.Name, args);
                var json = result.GetRawText();
                var touchesA = method.GetParameters().Any(p => p.ParameterType == typeof(Guid));
                if (touchesA && result.GetProperty("ok").GetBoolean())
                {
                    failures.Add($"{method.Name}: succeeded on a conversation the caller may not see");
                }

                if (json.Contains(a.Conversation.ToString(), StringComparison.OrdinalIgnoreCase) && !touchesA)
                {
                    failures.Add($"{method.Name}: answered with a conversation the caller may not see");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static object? Argument(ParameterInfo p, Guid conversation) =>
        p.ParameterType == typeof(Guid) ? conversation
        : p.ParameterType == typeof(long) ? 0L
        : p.ParameterType == typeof(int) ? 50
        : p.ParameterType == typeof(bool) ? true
        : p.ParameterType.IsEnum ? Enum.GetValues(p.ParameterType).GetValue(0)
        : null;

    private async Task<WorkspaceIds> WorkspaceAAsync()
    {
        var ws = new Workspace(_server);
        var colleague = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        var conversation = await ws.ConversationAsync(assignee: colleague, text: "workspace A");
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var role = await admin.Http.CreateRoleAsync("Walk " + Guid.NewGuid().ToString("N")[..6], "conversationsAll");
        var team = await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Walk " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, team.StatusCode);
        var teamId = (await team.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var tagAction = new[] { new { type = "add_tags", value = "walk" } };
        var rule = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", new { name = "Walk rule", trigger = "conversation_created", actions = tagAction });
        var macro = await admin.Http.PostAsJsonAsync("/api/v1/macros", new { name = "Walk macro", shared = true, actions = tagAction });
        var automation = (Rule: (await rule.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
            Macro: (await macro.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        var ticket = await admin.Http.PostAsJsonAsync("/api/v1/tickets", new { subject = "Walk ticket" });
        var ticketId = (await ticket.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (await _server.WithDbAsync(async db => new WorkspaceIds(
            conversation,
            await db.Conversations.Where(c => c.Id == conversation).Select(c => c.ContactId).SingleAsync(),
            await db.Conversations.Where(c => c.Id == conversation).Select(c => c.InboxId).SingleAsync(),
            colleague,
            Guid.Parse(role),
            await db.Articles.Where(x => x.TenantId == db.Conversations.Where(c => c.Id == conversation).Select(c => c.TenantId).First()).Select(x => x.Id).FirstOrDefaultAsync(),
            teamId))) with { Rule = automation.Rule, Macro = automation.Macro, Ticket = ticketId };
    }

    private sealed record WorkspaceIds(Guid Conversation, Guid Contact, Guid Inbox, Guid Agent, Guid Role, Guid Article, Guid Team)
    {
        public IEnumerable<string> Ids => new[] { Conversation, Contact, Agent, Role, Team, Rule, Macro, Ticket }.Select(g => g.ToString());

        public Guid Rule { get; init; }

        public Guid Macro { get; init; }

        public Guid Ticket { get; init; }
    }

    private sealed record Route(string Method, string Pattern, string? Permission);

    private IEnumerable<Route> Routes()
    {
        var endpoints = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal) || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                continue; // the console's pages, anonymous widget routes and the public /media/avatars files have their own tests (InboxAvatarTests); /metrics, /openapi and /api-docs too (MetricsTests, OpenApiCompletenessTests)
            }

            var permission = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Select(d => d.Policy).FirstOrDefault(p => p?.StartsWith(AccessPolicies.Prefix, StringComparison.Ordinal) == true);
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                if (!EndsOwnSession.Contains($"{method} {pattern}"))
                {
                    yield return new Route(method, pattern, permission);
                }
            }
        }
    }

    /// <summary>Workspace A's object for each route parameter, by the collection it follows.</summary>
    private static string Fill(string pattern, WorkspaceIds a, List<string> failures)
    {
        var segments = pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{'))
            {
                continue;
            }

            if (segments[i].StartsWith("{name", StringComparison.Ordinal))
            {
                segments[i] = "file.txt";
                continue;
            }

            object? id = segments[i - 1] switch
            {
                "conversations" => a.Conversation,
                "contacts" => a.Contact,
                "inboxes" => a.Inbox,
                "agents" => a.Agent,
                "roles" => a.Role,
                "teams" => a.Team,
                "articles" => a.Article,
                "rules" => a.Rule,
                "macros" => a.Macro,
                "attachments" => Guid.NewGuid(),
                "messages" => 1L, // a Seq: the first message of A's conversation
                "sessions" => Guid.NewGuid(), // the caller's own sessions only: anyone else's is 404 (SignInSessionTests)
                "canned-replies" => Guid.NewGuid(), // the caller's own and shared replies only: others' are 404 (CannedReplyApiTests)
                "api-keys" => Guid.NewGuid(), // settings routes (403 without the permission); another workspace's key is 404 (ApiKeyTests)
                "webhooks" => Guid.NewGuid(), // another workspace's webhook is 404 on every route (WebhookGuardTests)
                "deliveries" => 1L, // a delivery is reached only through its webhook
                "survey-templates" => Guid.NewGuid(), // another workspace's template is 404 (SurveyTests)
                "surveys" => Guid.NewGuid(), // visitor routes: the visitor's own surveys only (SurveyTests)
                "tickets" => a.Ticket, // another workspace's ticket is 404 on every route (TicketApiTests)
                "mail" => Guid.NewGuid(), // a conversation's mail is reached only through the conversation (EmailChannelTests)
                "notes" => Guid.NewGuid(), // a contact's note: another workspace's is 404, a colleague's 403 (ContactProfileTests)
                "contact-attributes" => Guid.NewGuid(), // settings routes; another workspace's attribute is 404 (ContactProfileTests)
                "scorecards" => Guid.NewGuid(), // another workspace's scorecard is 404 (QualityTests)
                "scores" => Guid.NewGuid(), // another workspace's score is 404 (QualityTests)
                "items" => 0, // an item's index within a score
                "fields" => Guid.NewGuid(), // a ticket field definition (settings routes); another workspace's is 404 (TicketFieldTests)
                "sla-rules" => Guid.NewGuid(), // settings routes (403 without the permission)
                "followers" => a.Agent, // a follower of A's ticket: the ticket is 404 to strangers
                "entries" => Guid.NewGuid(), // a line of A's ticket: reached only through the ticket (TicketMailHtml in EmailTicketTests)
                "flows" => Guid.NewGuid(), // bot flows (knowledge permission); another workspace's flow is 404 (FlowTests)
                "views" => Guid.NewGuid(), // a saved ticket view: another agent's personal one and another workspace's are 404 (TicketViewTests)
                "visitors" => a.Contact, // a visitor browsing now: another workspace's is 404 (InvitationTests)
                "invitations" => Guid.NewGuid(), // visitor routes: the visitor's own invitations only (InvitationTests)
                _ => null,
            };
            if (id is null)
            {
                failures.Add($"{pattern}: no sample object for '{segments[i - 1]}/{segments[i]}': add one to {nameof(RouteWalkTests)}.{nameof(Fill)}");
                id = Guid.NewGuid();
            }

            segments[i] = id.ToString()!;
        }

        return string.Join('/', segments);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return http.SendAsync(request);
    }
}
