using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// A flow's graph as stored per version (JSON): the language its built-in words use, the first step, and the steps.
/// Steps name the next step by id; <see cref="FlowValidator"/> checks the graph before it is saved.
/// </summary>
/// <param name="Language"><c>zh-CN</c> or <c>en</c>: the language of the bot's own words in this flow (hints, errors).</param>
/// <param name="Start">Id of the first step.</param>
/// <param name="Steps">The steps.</param>
public sealed record FlowDefinition(string Language, string Start, IReadOnlyList<FlowStep> Steps)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Stored, never written into a page: Chinese stays one character instead of a six-character \uXXXX escape,
        // which would overflow a run's state column (BotFlowRun.MaxStateLength) after a few long Chinese answers.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The definition as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A stored definition; null when it does not parse.</summary>
    public static FlowDefinition? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<FlowDefinition>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The step with <paramref name="id"/>, or null.</summary>
    public FlowStep? Find(string? id) => id is null ? null : Steps.FirstOrDefault(s => s.Id == id);
}

/// <summary>The kinds of step (<see cref="FlowStep.Type"/>).</summary>
public static class FlowStepTypes
{
    /// <summary>Sends <see cref="FlowStep.Text"/> (with <c>{{variables}}</c>), then goes on to <see cref="FlowStep.Next"/>.</summary>
    public const string Message = "message";

    /// <summary>Sends the text with <see cref="FlowStep.Buttons"/> and waits for a press (its value goes to <see cref="FlowStep.Variable"/>).</summary>
    public const string Buttons = "buttons";

    /// <summary>Asks for a value (<see cref="FlowStep.Variable"/>) checked by <see cref="FlowStep.Validation"/>; re-asks with the hint, then <see cref="FlowStep.Fail"/>.</summary>
    public const string Slot = "slot";

    /// <summary>Goes to the first matching condition's step, else to <see cref="FlowStep.Next"/>.</summary>
    public const string Branch = "branch";

    /// <summary>Calls the merchant's API (<see cref="FlowStep.Url"/>); maps response fields; a failure goes to <see cref="FlowStep.Fail"/>.</summary>
    public const string Http = "http";

    /// <summary>Answers from the knowledge base (the question is <see cref="FlowStep.Text"/>, default the visitor's last words); no answer goes to <see cref="FlowStep.Fail"/>.</summary>
    public const string Answer = "answer";

    /// <summary>Sets a contact field (<c>name</c>, <c>email</c>, <c>phone</c>) or adds a tag.</summary>
    public const string Set = "set";

    /// <summary>Hands off to people with <see cref="FlowStep.Skill"/> and everything collected.</summary>
    public const string Handoff = "handoff";

    /// <summary>Ends the flow (the bot answers questions again).</summary>
    public const string End = "end";

    /// <summary>Every type.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Message, Buttons, Slot, Branch, Http, Answer, Set, Handoff, End };
}

/// <summary>One step of a flow. Which properties matter depends on <see cref="Type"/> (docs/bot-flows.md lists them).</summary>
public sealed record FlowStep
{
    /// <summary>Unique in the flow: 1–40 of <c>a-z 0-9 _ -</c>.</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="FlowStepTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>What the bot says (with <c>{{variables}}</c>); for <c>answer</c>, the question to look up.</summary>
    public string? Text { get; init; }

    /// <summary>The next step (for <c>branch</c>: when no condition matches).</summary>
    public string? Next { get; init; }

    /// <summary>Where a failure goes: a slot asked too often, a failed HTTP call, no knowledge-base answer. Null hands off.</summary>
    public string? Fail { get; init; }

    /// <summary>The variable a <c>buttons</c> or <c>slot</c> step fills.</summary>
    public string? Variable { get; init; }

    /// <summary>The buttons of a <c>buttons</c> step.</summary>
    public IReadOnlyList<FlowButton>? Buttons { get; init; }

    /// <summary>How a slot's value is checked.</summary>
    public FlowValidation? Validation { get; init; }

    /// <summary>Said before asking again when a slot's value is not valid.</summary>
    public string? Hint { get; init; }

    /// <summary>Tries of a slot (or a buttons step answered in words) before <see cref="Fail"/> (1–10, default 3).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The conditions of a <c>branch</c> step, tried in order.</summary>
    public IReadOnlyList<FlowCondition>? Conditions { get; init; }

    /// <summary><c>GET</c> or <c>POST</c> (POST sends the variables as a JSON object).</summary>
    public string? Method { get; init; }

    /// <summary>URL template: absolute http(s), or a path joined to the workspace's base URL; <c>{{variables}}</c> are URL-escaped.</summary>
    public string? Url { get; init; }

    /// <summary>Response fields to variables: variable name → JSON path (<c>$.status</c>, <c>$.items[0].name</c>).</summary>
    public IReadOnlyDictionary<string, string>? Map { get; init; }

    /// <summary>For <c>set</c>: the contact field (<c>name</c>, <c>email</c>, <c>phone</c>) to set, or null with <see cref="Tag"/>.</summary>
    public string? Field { get; init; }

    /// <summary>For <c>set</c>: the value (with <c>{{variables}}</c>).</summary>
    public string? Value { get; init; }

    /// <summary>For <c>set</c>: a tag to add to the contact.</summary>
    public string? Tag { get; init; }

    /// <summary>For <c>handoff</c>: the skill routing should look for.</summary>
    public string? Skill { get; init; }
}

/// <summary>A button of a <c>buttons</c> step.</summary>
/// <param name="Label">What the visitor sees.</param>
/// <param name="Value">What the variable gets.</param>
/// <param name="Next">Where a press goes (null: the step's <see cref="FlowStep.Next"/>).</param>
public sealed record FlowButton(string Label, string Value, string? Next = null);

/// <summary>A condition of a <c>branch</c> step.</summary>
/// <param name="Variable">The variable read.</param>
/// <param name="Op"><c>equals</c>, <c>not_equals</c>, <c>contains</c>, <c>exists</c> or <c>missing</c> (case-insensitive text comparison).</param>
/// <param name="Value">The value compared with.</param>
/// <param name="Next">Where a match goes.</param>
public sealed record FlowCondition(string Variable, string Op, string? Value, string Next);

/// <summary>How a slot's value is checked.</summary>
/// <param name="Kind"><c>text</c>, <c>regex</c>, <c>phone</c>, <c>email</c>, <c>date</c> or <c>choice</c>.</param>
/// <param name="Pattern">For <c>regex</c>: a .NET pattern run without backtracking, with a match timeout.</param>
/// <param name="Choices">For <c>choice</c>: the allowed answers.</param>
public sealed record FlowValidation(string Kind, string? Pattern = null, IReadOnlyList<string>? Choices = null);
