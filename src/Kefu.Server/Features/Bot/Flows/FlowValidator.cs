using System.Text.RegularExpressions;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>A flow refused at save: a stable code, an English message, and the step at fault (null for the whole flow).</summary>
/// <param name="Code"><c>flow_step_missing</c>, <c>flow_no_exit</c>, <c>flow_invalid_pattern</c>, <c>flow_invalid_url</c>, <c>flow_address_refused</c> or <c>invalid_flow</c>.</param>
/// <param name="Message">English explanation.</param>
/// <param name="StepId">The step at fault.</param>
public sealed record FlowError(string Code, string Message, string? StepId = null);

/// <summary>
/// Checks a flow before it is saved, so that no saved flow can strand a visitor: every step reference exists, every
/// step reachable from the start can reach an <c>end</c> or a <c>handoff</c> (a loop with no exit is refused), slot
/// patterns compile without backtracking, HTTP actions are http(s) with a fixed host.
/// </summary>
internal static class FlowValidator
{
    public const int MaxSteps = 100;
    public const int MaxTextLength = 1000;

    public static FlowError? Validate(FlowDefinition? flow)
    {
        if (flow is null || flow.Steps is null || flow.Steps.Count is 0 or > MaxSteps)
        {
            return new("invalid_flow", $"A flow has 1 to {MaxSteps} steps.");
        }

        if (flow.Language is not ("zh-CN" or "en"))
        {
            return new("invalid_flow", "The flow's language is zh-CN or en.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in flow.Steps)
        {
            if (step is null || step.Id is null || !FlowValues.StepId().IsMatch(step.Id) || !ids.Add(step.Id))
            {
                return new("invalid_flow", "Each step has a unique id of 1 to 40 characters a-z, 0-9, '_' or '-'.", step?.Id);
            }
        }

        if (!ids.Contains(flow.Start ?? ""))
        {
            return new("flow_step_missing", "The start step does not exist.", flow.Start);
        }

        foreach (var step in flow.Steps)
        {
            if (Step(step, ids) is { } error)
            {
                return error;
            }
        }

        return NoExit(flow);
    }

    private static FlowError? Step(FlowStep step, HashSet<string> ids)
    {
        FlowError Bad(string message, string code = "invalid_flow") => new(code, message, step.Id);
        if (!FlowStepTypes.All.Contains(step.Type ?? ""))
        {
            return Bad($"Unknown step type '{step.Type}'.");
        }

        if ((step.Text?.Length ?? 0) > MaxTextLength || (step.Hint?.Length ?? 0) > MaxTextLength)
        {
            return Bad($"A step's text is at most {MaxTextLength} characters.");
        }

        var needsNext = step.Type is not (FlowStepTypes.Handoff or FlowStepTypes.End or FlowStepTypes.Buttons);
        if (needsNext && step.Next is null)
        {
            return Bad("This step needs a next step.", "flow_step_missing");
        }

        foreach (var target in Targets(step))
        {
            if (!ids.Contains(target))
            {
                return Bad($"The step points to '{target}', which does not exist.", "flow_step_missing");
            }
        }

        if (step.MaxAttempts is < 1 or > 10)
        {
            return Bad("maxAttempts is 1 to 10.");
        }

        return step.Type switch
        {
            FlowStepTypes.Message when string.IsNullOrWhiteSpace(step.Text) => Bad("A message step needs a text."),
            FlowStepTypes.Buttons => Buttons(step),
            FlowStepTypes.Slot => Slot(step),
            FlowStepTypes.Branch when step.Conditions is null or { Count: 0 or > 20 } || step.Conditions.Any(c => c is null || !FlowValues.VariableName().IsMatch(c.Variable ?? "") || c.Op is not ("equals" or "not_equals" or "contains" or "exists" or "missing")) =>
                Bad("A branch has 1 to 20 conditions, each on a variable with op equals, not_equals, contains, exists or missing."),
            FlowStepTypes.Http => Http(step),
            FlowStepTypes.Set => Set(step),
            _ => null,
        };
    }

    private static FlowError? Buttons(FlowStep step)
    {
        if (step.Buttons is null or { Count: 0 or > 10 } || step.Buttons.Any(b => b is null || string.IsNullOrWhiteSpace(b.Label) || b.Label.Length > 80 || string.IsNullOrWhiteSpace(b.Value) || b.Value.Length > FlowValues.MaxValueLength))
        {
            return new("invalid_flow", "A buttons step has 1 to 10 buttons, each with a label (up to 80 characters) and a value.", step.Id);
        }

        if (step.Next is null && step.Buttons.Any(b => b.Next is null))
        {
            return new("flow_step_missing", "Every button needs a next step (its own or the step's).", step.Id);
        }

        return string.IsNullOrWhiteSpace(step.Text) ? new("invalid_flow", "A buttons step needs a text.", step.Id) : Variable(step, optional: true);
    }

    private static FlowError? Slot(FlowStep step)
    {
        if (string.IsNullOrWhiteSpace(step.Text))
        {
            return new("invalid_flow", "A slot step needs a question.", step.Id);
        }

        var v = step.Validation;
        switch (v?.Kind ?? "text")
        {
            case "text" or "phone" or "email" or "date":
                break;
            case "choice" when v!.Choices is { Count: > 0 and <= 20 } && v.Choices.All(c => !string.IsNullOrWhiteSpace(c)):
                break;
            case "regex" when v!.Pattern is { Length: > 0 and <= 500 }:
                try
                {
                    _ = FlowValues.Pattern(v.Pattern);
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException)
                {
                    return new("flow_invalid_pattern", "The pattern does not compile (backreferences and lookarounds are not supported): " + e.Message, step.Id);
                }

                break;
            default:
                return new("invalid_flow", "Validation is text, regex (with a pattern up to 500 characters), phone, email, date or choice (with 1 to 20 choices).", step.Id);
        }

        return Variable(step, optional: false);
    }

    private static FlowError? Variable(FlowStep step, bool optional) =>
        step.Variable is null && optional || FlowValues.VariableName().IsMatch(step.Variable ?? "")
            ? null
            : new("invalid_flow", "The variable name is 1 to 40 letters, digits or '_'.", step.Id);

    private static FlowError? Http(FlowStep step)
    {
        if (step.Method is not (null or "GET" or "POST"))
        {
            return new("invalid_flow", "An HTTP action's method is GET or POST.", step.Id);
        }

        if (FlowUrl.Form(step.Url) is { } urlError)
        {
            return new("flow_invalid_url", urlError, step.Id);
        }

        return step.Map is { Count: > 20 } || step.Map?.Any(m => !FlowValues.VariableName().IsMatch(m.Key) || !JsonPath.IsValid(m.Value)) == true
            ? new("invalid_flow", "Map up to 20 variables, each to a JSON path like $.status or $.items[0].name.", step.Id)
            : null;
    }

    private static FlowError? Set(FlowStep step) =>
        (step.Field, step.Tag) switch
        {
            ("name" or "email" or "phone", null) when !string.IsNullOrWhiteSpace(step.Value) => null,
            (null, { } tag) when Contacts.Contracts.ContactTags.TryNormalize([tag], out _) is not null => null,
            _ => new("invalid_flow", "A set step sets a field (name, email or phone) to a value, or adds one tag.", step.Id),
        };

    public static IEnumerable<string> Targets(FlowStep step)
    {
        IEnumerable<string?> all = [step.Next, step.Fail, .. step.Buttons?.Select(b => b?.Next) ?? [], .. step.Conditions?.Select(c => c?.Next) ?? []];
        return all.OfType<string>().Distinct(StringComparer.Ordinal);
    }

    /// <summary>Every step reachable from the start must reach an end or a hand-off; failures with no fail step hand off.</summary>
    private static FlowError? NoExit(FlowDefinition flow)
    {
        var byId = flow.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var canExit = new HashSet<string>(flow.Steps.Where(s => s.Type is FlowStepTypes.Handoff or FlowStepTypes.End || ImplicitHandoff(s)).Select(s => s.Id), StringComparer.Ordinal);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var s in flow.Steps.Where(s => !canExit.Contains(s.Id) && Targets(s).Any(canExit.Contains)))
            {
                changed |= canExit.Add(s.Id);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([flow.Start]);
        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            if (!canExit.Contains(id))
            {
                return new("flow_no_exit", "From this step the flow loops without ever reaching an end or a hand-off.", id);
            }

            foreach (var t in Targets(byId[id]))
            {
                queue.Enqueue(t);
            }
        }

        return null;
    }

    /// <summary>A step whose failure has no fail step hands off, which is an exit.</summary>
    private static bool ImplicitHandoff(FlowStep s) =>
        s.Fail is null && s.Type is FlowStepTypes.Slot or FlowStepTypes.Http or FlowStepTypes.Answer or FlowStepTypes.Buttons;
}

/// <summary>The form of an HTTP action's URL template (no DNS here; the address is checked at save and on connect).</summary>
internal static class FlowUrl
{
    /// <summary>Null when the template is an absolute http(s) URL with a fixed host, or a path (<c>/orders/{{n}}</c>) for the workspace's base URL.</summary>
    public static string? Form(string? template)
    {
        if (string.IsNullOrWhiteSpace(template) || template.Length > 2000)
        {
            return "An HTTP action needs a URL of at most 2000 characters.";
        }

        if (template.StartsWith('/') && !template.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        var sample = Regex.Replace(template, @"\{\{[^}]*\}\}", "x", RegexOptions.None, TimeSpan.FromMilliseconds(100));
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "Only http:// and https:// URLs (or a path for the workspace's base URL) can be called; file:// and other schemes are refused.";
        }

        var authorityEnd = template.IndexOf('/', uri.Scheme.Length + 3);
        var authority = authorityEnd < 0 ? template : template[..authorityEnd];
        return authority.Contains("{{", StringComparison.Ordinal) || uri.UserInfo.Length > 0
            ? "The host of an HTTP action is fixed: variables go in the path or the query, and no user name or password."
            : null;
    }
}
