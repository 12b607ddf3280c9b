using Kefu.Server.Features.Bot.Flows;

namespace Kefu.Server.Console.Pages.Bot.Flows;

/// <summary>
/// The editor's working copy of a flow's graph: mutable steps edited in the side panel, turned back into a
/// <see cref="FlowDefinition"/> when saved (the server validates it whole; nothing is checked twice here).
/// </summary>
public sealed class FlowForm
{
    public string Language { get; set; } = "zh-CN";
    public string Start { get; set; } = "";
    public List<StepForm> Steps { get; } = [];

    public static FlowForm From(FlowDefinition definition)
    {
        var form = new FlowForm { Language = definition.Language, Start = definition.Start };
        form.Steps.AddRange(definition.Steps.Select(StepForm.From));
        return form;
    }

    public FlowDefinition ToDefinition() => new(Language, Start, [.. Steps.Select(s => s.ToStep())]);

    public StepForm? Find(string? id) => Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>A new step with a free id (<c>{type}_{n}</c>).</summary>
    public StepForm Add(string type)
    {
        var n = 1;
        while (Steps.Any(s => s.Id == $"{type}_{n}"))
        {
            n++;
        }

        var step = new StepForm { Id = $"{type}_{n}", Type = type };
        Steps.Add(step);
        if (Start.Length == 0)
        {
            Start = step.Id;
        }

        return step;
    }

    /// <summary>Removes a step and every arrow to it (the server then says where a next step is missing).</summary>
    public void Remove(StepForm step)
    {
        Steps.Remove(step);
        foreach (var s in Steps)
        {
            s.Next = s.Next == step.Id ? null : s.Next;
            s.Fail = s.Fail == step.Id ? null : s.Fail;
            s.Buttons.ForEach(b => b.Next = b.Next == step.Id ? null : b.Next);
            s.Conditions.ForEach(c => c.Next = c.Next == step.Id ? "" : c.Next);
        }

        if (Start == step.Id)
        {
            Start = Steps.FirstOrDefault()?.Id ?? "";
        }
    }

    /// <summary>Renames a step and the arrows pointing at it.</summary>
    public void Rename(StepForm step, string id)
    {
        var old = step.Id;
        foreach (var s in Steps)
        {
            s.Next = s.Next == old ? id : s.Next;
            s.Fail = s.Fail == old ? id : s.Fail;
            s.Buttons.ForEach(b => b.Next = b.Next == old ? id : b.Next);
            s.Conditions.ForEach(c => c.Next = c.Next == old ? id : c.Next);
        }

        Start = Start == old ? id : Start;
        step.Id = id;
    }
}

/// <summary>One step being edited: every field of every type (the panel shows those the type uses).</summary>
public sealed class StepForm
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = FlowStepTypes.Message;
    public string? Text { get; set; }
    public string? Next { get; set; }
    public string? Fail { get; set; }
    public string? Variable { get; set; }
    public List<ButtonForm> Buttons { get; } = [];
    public string ValidationKind { get; set; } = "text";
    public string? Pattern { get; set; }
    public string? Choices { get; set; }
    public string? Hint { get; set; }
    public int? MaxAttempts { get; set; }
    public List<ConditionForm> Conditions { get; } = [];
    public string Method { get; set; } = "GET";
    public string? Url { get; set; }
    public List<MapForm> Map { get; } = [];
    public string? Field { get; set; }
    public string? Value { get; set; }
    public string? Tag { get; set; }
    public string? Skill { get; set; }

    public static StepForm From(FlowStep s)
    {
        var form = new StepForm
        {
            Id = s.Id, Type = s.Type, Text = s.Text, Next = s.Next, Fail = s.Fail, Variable = s.Variable, ValidationKind = s.Validation?.Kind ?? "text",
            Pattern = s.Validation?.Pattern, Choices = s.Validation?.Choices is { } c ? string.Join(", ", c) : null, Hint = s.Hint, MaxAttempts = s.MaxAttempts,
            Method = s.Method ?? "GET", Url = s.Url, Field = s.Field, Value = s.Value, Tag = s.Tag, Skill = s.Skill,
        };
        form.Buttons.AddRange((s.Buttons ?? []).Select(b => new ButtonForm { Label = b.Label, Value = b.Value, Next = b.Next }));
        form.Conditions.AddRange((s.Conditions ?? []).Select(c => new ConditionForm { Variable = c.Variable, Op = c.Op, Value = c.Value, Next = c.Next }));
        form.Map.AddRange((s.Map ?? new Dictionary<string, string>()).Select(m => new MapForm { Variable = m.Key, Path = m.Value }));
        return form;
    }

    /// <summary>The step as the API takes it: only the fields its type uses, empty texts as null.</summary>
    public FlowStep ToStep() => Type switch
    {
        FlowStepTypes.Message => new() { Id = Id, Type = Type, Text = Clean(Text), Next = Clean(Next) },
        FlowStepTypes.Buttons => new()
        {
            Id = Id, Type = Type, Text = Clean(Text), Variable = Clean(Variable), Next = Clean(Next), Fail = Clean(Fail), MaxAttempts = MaxAttempts,
            Buttons = [.. Buttons.Select(b => new FlowButton(b.Label?.Trim() ?? "", string.IsNullOrWhiteSpace(b.Value) ? b.Label?.Trim() ?? "" : b.Value.Trim(), Clean(b.Next)))],
        },
        FlowStepTypes.Slot => new()
        {
            Id = Id, Type = Type, Text = Clean(Text), Variable = Clean(Variable), Hint = Clean(Hint), MaxAttempts = MaxAttempts, Next = Clean(Next), Fail = Clean(Fail),
            Validation = new FlowValidation(ValidationKind, ValidationKind == "regex" ? Clean(Pattern) : null,
                ValidationKind == "choice" ? [.. (Choices ?? "").Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null),
        },
        FlowStepTypes.Branch => new()
        {
            Id = Id, Type = Type, Next = Clean(Next),
            Conditions = [.. Conditions.Select(c => new FlowCondition(c.Variable?.Trim() ?? "", c.Op, Clean(c.Value), c.Next ?? ""))],
        },
        FlowStepTypes.Http => new()
        {
            Id = Id, Type = Type, Method = Method, Url = Clean(Url), Next = Clean(Next), Fail = Clean(Fail),
            Map = Map.Count == 0 ? null : Map.Where(m => !string.IsNullOrWhiteSpace(m.Variable)).GroupBy(m => m.Variable!.Trim()).ToDictionary(g => g.Key, g => g.First().Path?.Trim() ?? ""),
        },
        FlowStepTypes.Answer => new() { Id = Id, Type = Type, Text = Clean(Text), Next = Clean(Next), Fail = Clean(Fail) },
        FlowStepTypes.Set => new() { Id = Id, Type = Type, Field = Clean(Field), Value = Clean(Value), Tag = Clean(Tag), Next = Clean(Next) },
        FlowStepTypes.Handoff => new() { Id = Id, Type = Type, Text = Clean(Text), Skill = Clean(Skill) },
        _ => new() { Id = Id, Type = Type, Text = Clean(Text) },
    };

    /// <summary>The arrows out of this step: target and label (<c>next</c>, <c>fail</c>, a button's label, a condition).</summary>
    public IEnumerable<(string Target, string Label, bool Failure)> Arrows()
    {
        foreach (var b in Type == FlowStepTypes.Buttons ? Buttons : [])
        {
            if (!string.IsNullOrEmpty(b.Next))
            {
                yield return (b.Next, b.Label ?? "", false);
            }
        }

        foreach (var c in Type == FlowStepTypes.Branch ? Conditions : [])
        {
            if (!string.IsNullOrEmpty(c.Next))
            {
                yield return (c.Next, $"{c.Variable} {c.Op} {c.Value}".Trim(), false);
            }
        }

        if (!string.IsNullOrEmpty(Next) && Type is not (FlowStepTypes.Handoff or FlowStepTypes.End))
        {
            yield return (Next, "", false);
        }

        if (!string.IsNullOrEmpty(Fail) && Type is FlowStepTypes.Buttons or FlowStepTypes.Slot or FlowStepTypes.Http or FlowStepTypes.Answer)
        {
            yield return (Fail, "fail", true);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed class ButtonForm
{
    public string? Label { get; set; }
    public string? Value { get; set; }
    public string? Next { get; set; }
}

public sealed class ConditionForm
{
    public string? Variable { get; set; }
    public string Op { get; set; } = "equals";
    public string? Value { get; set; }
    public string? Next { get; set; }
}

public sealed class MapForm
{
    public string? Variable { get; set; }
    public string? Path { get; set; }
}

/// <summary>
/// A layered layout of the graph: each step's layer is its distance (in arrows) from the start, breadth first; steps the
/// start does not reach go in a last layer. Boxes are placed left to right in their layer, layers top to bottom.
/// </summary>
public static class FlowLayout
{
    public const int BoxWidth = 150;
    public const int BoxHeight = 46;
    public const int GapX = 24;
    public const int GapY = 54;
    public const int Margin = 12;

    public sealed record Box(StepForm Step, double X, double Y);

    public static IReadOnlyList<Box> Place(FlowForm flow)
    {
        var layer = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        if (flow.Find(flow.Start) is not null)
        {
            layer[flow.Start] = 0;
            queue.Enqueue(flow.Start);
        }

        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            foreach (var (target, _, _) in flow.Find(id)!.Arrows())
            {
                if (flow.Find(target) is not null && layer.TryAdd(target, layer[id] + 1))
                {
                    queue.Enqueue(target);
                }
            }
        }

        var last = layer.Count == 0 ? 0 : layer.Values.Max() + 1;
        var rows = flow.Steps.GroupBy(s => layer.TryGetValue(s.Id, out var l) ? l : last).OrderBy(g => g.Key);
        var boxes = new List<Box>();
        foreach (var row in rows)
        {
            var i = 0;
            foreach (var step in row)
            {
                boxes.Add(new Box(step, Margin + i++ * (BoxWidth + GapX), Margin + row.Key * (BoxHeight + GapY)));
            }
        }

        return boxes;
    }
}
