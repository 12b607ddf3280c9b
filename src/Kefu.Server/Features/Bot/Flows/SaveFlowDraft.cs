using System.Text.RegularExpressions;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>POST /api/v1/bot/flows</c> creates a flow, <c>PUT /api/v1/bot/flows/{id}</c> replaces its draft (knowledge
/// permission). The graph is checked (<see cref="FlowValidator"/>) and every HTTP action's host must be public or allowed
/// by the workspace: a refused flow is 422 with a <c>code</c> and the <c>stepId</c>, and nothing is stored.
/// </summary>
internal sealed class SaveFlowDraft(IDbContextFactory<KefuDbContext> dbFactory, FlowSecrets secrets, TimeProvider time)
{
    public const int MaxPerWorkspace = 50;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/bot/flows", async Task<Results<Created<FlowDto>, ProblemHttpResult>> (FlowRequest request, HttpContext http, SaveFlowDraft h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, null, request, ct) switch
                {
                    ({ } dto, _, _) => TypedResults.Created($"/api/v1/bot/flows/{dto.Id}", dto),
                    (_, { } flowError, _) => FlowProblems.Problem(flowError),
                    (_, _, var error) => FlowProblems.Problem(error!),
                })
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("CreateFlow").WithTags("Bot");
        api.MapPut("/bot/flows/{id:guid}", async Task<Results<Ok<FlowDto>, ProblemHttpResult>> (Guid id, FlowRequest request, HttpContext http, SaveFlowDraft h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, request, ct) switch
                {
                    ({ } dto, _, _) => TypedResults.Ok(dto),
                    (_, { } flowError, _) => FlowProblems.Problem(flowError),
                    (_, _, var error) => FlowProblems.Problem(error!),
                })
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("SaveFlowDraft").WithTags("Bot");
    }

    public async Task<(FlowDto? Flow, FlowError? FlowError, KefuError? Error)> HandleAsync(Guid tenantId, Guid? id, FlowRequest request, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            return (null, null, FlowProblems.Invalid("name", "A flow's name is 1 to 100 characters on one line."));
        }

        var keywords = (request.Keywords ?? []).Select(k => k?.Trim() ?? "").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (keywords.Count > 20 || keywords.Any(k => k.Length is < 2 or > 50 || k.Any(char.IsControl)))
        {
            return (null, null, FlowProblems.Invalid("keywords", "Up to 20 keywords of 2 to 50 characters."));
        }

        var articles = (request.ArticleIds ?? []).Distinct().ToList();
        if (articles.Count > 20)
        {
            return (null, null, FlowProblems.Invalid("articleIds", "Up to 20 articles."));
        }

        if (FlowValidator.Validate(request.Definition) is { } invalid)
        {
            return (null, invalid, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CheckAddressesAsync(db, tenantId, request.Definition!, ct) is { } refused)
        {
            return (null, refused, null);
        }

        var flow = id is null ? null : await db.BotFlows.FirstOrDefaultAsync(f => f.Id == id && f.TenantId == tenantId, ct);
        if (id is not null && flow is null)
        {
            return (null, null, FlowProblems.NotFound);
        }

        if (await db.BotFlows.AnyAsync(f => f.TenantId == tenantId && f.Name == name && f.Id != id, ct))
        {
            return (null, null, FlowProblems.NameTaken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (flow is null)
        {
            if (await db.BotFlows.CountAsync(f => f.TenantId == tenantId, ct) >= MaxPerWorkspace)
            {
                return (null, null, FlowProblems.Invalid("name", $"A workspace has at most {MaxPerWorkspace} flows."));
            }

            flow = new BotFlow { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name, Draft = "", CreatedAt = now };
            db.BotFlows.Add(flow);
        }

        flow.Name = name;
        flow.Draft = request.Definition!.ToJson();
        flow.Keywords = string.Join('\n', keywords);
        flow.ArticleIds = string.Join(' ', articles);
        flow.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return (GetFlow.ToDto(flow), null, null);
    }

    /// <summary>Every HTTP action's host (or the base URL's, for a path) must be public or allowed by the workspace.</summary>
    private async Task<FlowError?> CheckAddressesAsync(KefuDbContext db, Guid tenantId, FlowDefinition flow, CancellationToken ct)
    {
        var steps = flow.Steps.Where(s => s.Type == FlowStepTypes.Http).ToList();
        if (steps.Count == 0)
        {
            return null;
        }

        var settings = await secrets.LoadAsync(db, tenantId, ct);
        var guard = new FlowAddressGuard(settings.AllowedHosts);
        foreach (var step in steps)
        {
            var sample = Regex.Replace(step.Url!, @"\{\{[^}]*\}\}", "x", RegexOptions.None, TimeSpan.FromMilliseconds(100));
            var url = sample.StartsWith('/') ? settings.BaseUrl.TrimEnd('/') + sample : sample;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return new("flow_invalid_url", "A path needs the workspace's base URL (PUT /api/v1/bot/flow-settings).", step.Id);
            }

            try
            {
                await guard.ResolveAsync(uri.IdnHost, uri.Port, uri.Scheme, ct);
            }
            catch (FlowAddressRefusedException e)
            {
                return new("flow_address_refused", e.Message, step.Id);
            }
        }

        return null;
    }
}
