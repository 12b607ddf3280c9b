using System.Text.Json.Nodes;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>Where a flow run stands between visitor turns: persisted with the run, so it survives a restart.</summary>
public sealed class FlowRunState
{
    /// <summary>The step waiting for the visitor (a <c>buttons</c> or <c>slot</c> step); null before the first turn.</summary>
    public string? Waiting { get; set; }

    /// <summary>Wrong answers to the waiting step so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Collected variables (slots, button values, mapped HTTP fields).</summary>
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One visitor turn fed to a run: the text typed, or the value of a flow button pressed.</summary>
internal sealed record FlowInput(string Text, string? ButtonValue = null);

/// <summary>A message the flow sends; buttons are the waiting step's.</summary>
internal sealed record FlowOutput(string Text, IReadOnlyList<FlowButton>? Buttons = null);

/// <summary>A contact change a <c>set</c> step asks for; applied with the turn.</summary>
internal sealed record FlowContactChange(string? Field, string? Tag, string Value);

/// <summary>How a run finished in this turn (null while it waits for the visitor).</summary>
/// <param name="HandedOff">True for a hand-off, false for an end.</param>
/// <param name="Skill">The hand-off step's skill.</param>
/// <param name="Reason"><c>flow</c> (a hand-off step or a failure with no fail step) or <c>flow_error</c> (the step budget ran out).</param>
internal sealed record FlowFinish(bool HandedOff, string? Skill, string Reason);

/// <summary>What one visitor turn did to a run.</summary>
internal sealed record FlowTurn(IReadOnlyList<FlowOutput> Replies, FlowRunState State, FlowFinish? Finish, IReadOnlyList<FlowContactChange> Changes, IReadOnlyList<string> Trace);

/// <summary>The answer of an HTTP action.</summary>
/// <param name="Ok">A 2xx answer with a JSON body within the size limit.</param>
/// <param name="Body">The parsed JSON body.</param>
/// <param name="Error">Why it failed (for the test chat and the log; never shown to visitors).</param>
internal sealed record FlowHttpResult(bool Ok, JsonNode? Body, string? Error);

/// <summary>What a flow does outside itself: the merchant's API and the knowledge base.</summary>
internal interface IFlowEffects
{
    Task<FlowHttpResult> CallAsync(FlowStep step, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken);

    /// <summary>The knowledge base's confident answer to <paramref name="question"/>, or null.</summary>
    Task<string?> AnswerAsync(string question, CancellationToken cancellationToken);
}

/// <summary>
/// Runs a flow's steps for one visitor turn: feeds the answer to the waiting step, then walks on until a step waits for
/// the visitor or the flow ends or hands off. It never gets stuck: at most <see cref="StepBudget"/> steps and
/// <see cref="HttpBudget"/> HTTP actions per turn, after which the run hands off (<c>flow_error</c>); every failure
/// without a fail step hands off.
/// </summary>
internal static class FlowRunner
{
    public const int StepBudget = 50;

    /// <summary>
    /// HTTP actions one visitor turn may send. A turn that reaches one more does not send it: the run hands off
    /// (<c>flow_error</c>) with <c>http_error</c> saying why, so one message cannot make Kefu call out dozens of times.
    /// </summary>
    public const int HttpBudget = 5;
    public const int DefaultAttempts = 3;

    public static async Task<FlowTurn> RunAsync(FlowDefinition flow, FlowRunState state, FlowInput input, IFlowEffects effects, CancellationToken cancellationToken)
    {
        var zh = flow.Language == "zh-CN";
        var replies = new List<FlowOutput>();
        var changes = new List<FlowContactChange>();
        var trace = new List<string>();
        var vars = state.Variables;
        vars["last_input"] = FlowValues.Cut(input.ButtonValue ?? input.Text);
        string? current;
        if (flow.Find(state.Waiting) is { } waiting)
        {
            current = Answer(waiting, state, input, replies, zh, out var stay);
            if (stay)
            {
                return new(replies, state, null, changes, trace);
            }
        }
        else
        {
            current = flow.Start;
        }

        state.Waiting = null;
        state.Attempts = 0;
        var calls = 0;
        for (var budget = StepBudget; budget > 0; budget--)
        {
            if (current is null || flow.Find(current) is not { } step)
            {
                return Finish(new FlowFinish(true, null, current is null ? "flow" : "flow_error"));
            }

            trace.Add(step.Id);
            switch (step.Type)
            {
                case FlowStepTypes.Message:
                    replies.Add(new(FlowValues.Fill(step.Text!, vars)));
                    current = step.Next;
                    break;
                case FlowStepTypes.Buttons or FlowStepTypes.Slot:
                    replies.Add(Ask(step, vars));
                    state.Waiting = step.Id;
                    return new(replies, state, null, changes, trace);
                case FlowStepTypes.Branch:
                    current = step.Conditions!.FirstOrDefault(c => Holds(c, vars))?.Next ?? step.Next;
                    break;
                case FlowStepTypes.Http:
                    if (++calls > HttpBudget)
                    {
                        vars["http_error"] = $"More than {HttpBudget} HTTP actions in one turn; the request was not sent.";
                        return Finish(new FlowFinish(true, null, "flow_error"));
                    }

                    var result = await effects.CallAsync(step, vars, cancellationToken);
                    if (result.Ok)
                    {
                        foreach (var (name, path) in step.Map ?? new Dictionary<string, string>())
                        {
                            vars[name] = FlowValues.Cut(JsonPath.Read(result.Body, path) ?? "");
                        }
                    }

                    vars["http_error"] = result.Ok ? "" : FlowValues.Cut(result.Error ?? "failed");
                    current = result.Ok ? step.Next : step.Fail;
                    break;
                case FlowStepTypes.Answer:
                    var answer = await effects.AnswerAsync(FlowValues.Fill(step.Text ?? "{{last_input}}", vars), cancellationToken);
                    if (answer is not null)
                    {
                        replies.Add(new(answer));
                    }

                    current = answer is null ? step.Fail : step.Next;
                    break;
                case FlowStepTypes.Set:
                    changes.Add(new(step.Field, step.Tag, step.Tag ?? FlowValues.Cut(FlowValues.Fill(step.Value!, vars))));
                    current = step.Next;
                    break;
                case FlowStepTypes.Handoff or FlowStepTypes.End:
                    if (!string.IsNullOrWhiteSpace(step.Text))
                    {
                        replies.Add(new(FlowValues.Fill(step.Text, vars)));
                    }

                    return Finish(new FlowFinish(step.Type == FlowStepTypes.Handoff, step.Skill, "flow"));
                default:
                    return Finish(new FlowFinish(true, null, "flow_error"));
            }
        }

        return Finish(new FlowFinish(true, null, "flow_error"));

        FlowTurn Finish(FlowFinish finish)
        {
            state.Waiting = null;
            return new(replies, state, finish, changes, trace);
        }
    }

    /// <summary>The visitor's answer to the waiting step: the next step, or <paramref name="stay"/> to ask again.</summary>
    private static string? Answer(FlowStep step, FlowRunState state, FlowInput input, List<FlowOutput> replies, bool zh, out bool stay)
    {
        stay = false;
        string? value;
        string? next;
        if (step.Type == FlowStepTypes.Buttons)
        {
            var button = step.Buttons!.FirstOrDefault(b => b.Value == input.ButtonValue) ??
                         step.Buttons!.FirstOrDefault(b => string.Equals(b.Label.Trim(), input.Text.Trim(), StringComparison.OrdinalIgnoreCase));
            value = button?.Value;
            next = button?.Next ?? step.Next;
        }
        else
        {
            value = FlowValues.Check(step.Validation, input.ButtonValue ?? input.Text);
            next = step.Next;
        }

        if (value is not null)
        {
            if (step.Variable is { } name)
            {
                state.Variables[name] = FlowValues.Cut(value);
            }

            return next;
        }

        state.Attempts++;
        if (state.Attempts >= (step.MaxAttempts ?? DefaultAttempts))
        {
            // Asked often enough: the fail branch, or (none) a person.
            return step.Fail;
        }

        var hint = step.Hint is { Length: > 0 } h ? FlowValues.Fill(h, state.Variables)
            : step.Type == FlowStepTypes.Buttons ? zh ? "请点击下面的一个选项。" : "Please pick one of the options below."
            : zh ? "格式好像不对，请再输入一次。" : "That doesn't look right. Please try again.";
        replies.Add(new(hint));
        replies.Add(Ask(step, state.Variables));
        stay = true;
        return step.Id;
    }

    private static FlowOutput Ask(FlowStep step, IReadOnlyDictionary<string, string> vars) =>
        new(FlowValues.Fill(step.Text!, vars), step.Type == FlowStepTypes.Buttons ? step.Buttons : null);

    private static bool Holds(FlowCondition c, IReadOnlyDictionary<string, string> vars)
    {
        var value = vars.TryGetValue(c.Variable, out var v) ? v : "";
        return c.Op switch
        {
            "equals" => string.Equals(value, c.Value ?? "", StringComparison.OrdinalIgnoreCase),
            "not_equals" => !string.Equals(value, c.Value ?? "", StringComparison.OrdinalIgnoreCase),
            "contains" => value.Contains(c.Value ?? "", StringComparison.OrdinalIgnoreCase),
            "exists" => value.Length > 0,
            "missing" => value.Length == 0,
            _ => false,
        };
    }
}
