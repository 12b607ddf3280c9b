using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>A bot flow as the API shows it.</summary>
/// <param name="Id">Flow id.</param>
/// <param name="Name">Unique name in the workspace.</param>
/// <param name="Draft">The draft graph.</param>
/// <param name="Keywords">Words that start the published flow.</param>
/// <param name="ArticleIds">FAQ articles that start the flow instead of being answered.</param>
/// <param name="PublishedVersion">The version visitors start; null until published.</param>
/// <param name="UpdatedAt">Last change, UTC.</param>
/// <param name="RolloutVersion">A newer version in gray release, or null.</param>
/// <param name="RolloutPercent">The share of new conversations that start <paramref name="RolloutVersion"/> (0 when none).</param>
public sealed record FlowDto(Guid Id, string Name, FlowDefinition Draft, IReadOnlyList<string> Keywords, IReadOnlyList<Guid> ArticleIds, int? PublishedVersion, DateTime UpdatedAt,
    int? RolloutVersion = null, int RolloutPercent = 0);

/// <summary>A flow in the list.</summary>
/// <param name="Id">Flow id.</param>
/// <param name="Name">Name.</param>
/// <param name="PublishedVersion">Published version, if any.</param>
/// <param name="Steps">Steps in the draft.</param>
/// <param name="UpdatedAt">Last change, UTC.</param>
/// <param name="Keywords">The words that start it.</param>
/// <param name="Articles">FAQ articles bound to it.</param>
/// <param name="RolloutVersion">A newer version in gray release, or null.</param>
/// <param name="RolloutPercent">Its share of new conversations (0 when none).</param>
/// <param name="ActiveRuns">Conversations in the middle of it now.</param>
public sealed record FlowSummaryDto(Guid Id, string Name, int? PublishedVersion, int Steps, DateTime UpdatedAt,
    IReadOnlyList<string> Keywords, int Articles, int? RolloutVersion, int RolloutPercent, int ActiveRuns);

/// <summary>Publishes the draft: to every new conversation, or (gray release) to a share of them.</summary>
/// <param name="Percent">1–100; null or 100 publishes to everyone. Below 100 needs a version already published: the rest stay on it.</param>
public sealed record PublishFlowRequest(int? Percent);

/// <summary>Changes a gray release: 100 promotes the new version to everyone, 0 rolls it back, 1–99 changes its share.</summary>
/// <param name="Percent">0–100.</param>
public sealed record FlowRolloutRequest(int Percent);

/// <summary>A published version of a flow.</summary>
/// <param name="Version">1, 2, …</param>
/// <param name="CreatedAt">When it was published, UTC.</param>
/// <param name="Share">The percentage of new conversations that start it now (0 for an old version).</param>
/// <param name="Runs">Conversations that ran it.</param>
/// <param name="ActiveRuns">Conversations in the middle of it now.</param>
public sealed record FlowVersionDto(int Version, DateTime CreatedAt, int Share, int Runs, int ActiveRuns);

/// <summary>Creates a flow or replaces its draft.</summary>
/// <param name="Name">1–100 characters.</param>
/// <param name="Definition">The graph (checked: see docs/bot-flows.md).</param>
/// <param name="Keywords">Up to 20 trigger words of 2–50 characters.</param>
/// <param name="ArticleIds">Up to 20 FAQ articles that start the flow instead of being answered.</param>
public sealed record FlowRequest(string? Name, FlowDefinition? Definition, IReadOnlyList<string>? Keywords, IReadOnlyList<Guid>? ArticleIds);

/// <summary>One test turn of a draft: the state the previous test turn returned (null to start), and the visitor's words or button.</summary>
/// <param name="State">The state returned by the previous turn; null starts the flow.</param>
/// <param name="Text">What the visitor types.</param>
/// <param name="ButtonIndex">The index of a button of the waiting step pressed instead.</param>
public sealed record FlowTestRequest(FlowRunState? State, string? Text, int? ButtonIndex);

/// <summary>What a test turn did.</summary>
/// <param name="Replies">The bot's messages.</param>
/// <param name="State">Send it back with the next test turn.</param>
/// <param name="Finished"><c>end</c>, <c>handoff</c> or null while the flow waits.</param>
/// <param name="Skill">The hand-off skill.</param>
/// <param name="Trace">Steps visited.</param>
/// <param name="HttpError">The last HTTP action's failure, for the author (never shown to visitors).</param>
public sealed record FlowTestResult(IReadOnlyList<FlowTestReply> Replies, FlowRunState State, string? Finished, string? Skill, IReadOnlyList<string> Trace, string? HttpError);

/// <summary>A bot message of a test turn.</summary>
/// <param name="Text">Its text.</param>
/// <param name="Buttons">Button labels.</param>
public sealed record FlowTestReply(string Text, IReadOnlyList<string>? Buttons);

/// <summary>A workspace's HTTP action settings (the secret is never shown, only whether it exists).</summary>
/// <param name="BaseUrl">Joined to action URLs that are a path.</param>
/// <param name="AllowedHosts">Hosts and ports allowed although private or loopback (<c>host:port</c>, or <c>host</c> for the scheme's default port).</param>
/// <param name="HasSecret">A signing secret exists.</param>
public sealed record FlowSettingsDto(string BaseUrl, IReadOnlyList<string> AllowedHosts, bool HasSecret);

/// <summary>Changes the HTTP action settings.</summary>
/// <param name="BaseUrl">http(s) URL or empty.</param>
/// <param name="AllowedHosts">Up to 20 entries: <c>host:port</c> (IPv6 in brackets), or a host alone for the scheme's default port only.</param>
/// <param name="RotateSecret">Generate a new signing secret, returned once.</param>
public sealed record FlowSettingsRequest(string? BaseUrl, IReadOnlyList<string>? AllowedHosts, bool RotateSecret = false);

/// <summary>The settings, and the new secret when one was generated (shown this once).</summary>
/// <param name="Settings">The settings.</param>
/// <param name="Secret">The new secret, or null.</param>
public sealed record FlowSettingsSaved(FlowSettingsDto Settings, string? Secret);

/// <summary>What the flow endpoints answer when they refuse.</summary>
internal static class FlowProblems
{
    public static readonly KefuError NotFound = new("flow_not_found", "No such flow.");
    public static readonly KefuError NameTaken = new("flow_name_taken", "Another flow has this name.");
    public static readonly KefuError NoRollout = new("flow_no_rollout", "No version of this flow is in gray release.") { Field = "percent" };
    public static readonly KefuError PublishedMeanwhile = new("flow_published_meanwhile", "Someone published this flow at the same moment; reload and publish again if it is still needed.");

    public static KefuError Invalid(string field, string message) => new("invalid_flow", message) { Field = field };

    /// <summary>A graph refused at save: 422 with the code and the step at fault.</summary>
    public static ProblemHttpResult Problem(FlowError error) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: error.Message, type: "https://kefu.dev/problems/" + error.Code.Replace('_', '-'),
        extensions: new Dictionary<string, object?> { ["code"] = error.Code, ["stepId"] = error.StepId });

    public static ProblemHttpResult Problem(KefuError error) => error.Code == "invalid_flow"
        ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: error.Message, type: "https://kefu.dev/problems/invalid-flow",
            extensions: new Dictionary<string, object?> { ["code"] = error.Code, ["field"] = error.Field })
        : error.Code == NameTaken.Code || error.Code == NoRollout.Code || error.Code == PublishedMeanwhile.Code
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: error.Message, extensions: new Dictionary<string, object?> { ["code"] = error.Code })
            : KefuProblems.Problem(error);
}
