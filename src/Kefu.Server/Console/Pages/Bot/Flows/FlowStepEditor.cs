using Kefu.Server.Features.Bot.Flows;

namespace Kefu.Server.Console.Pages.Bot.Flows;

/// <summary>What the editor offers: the step types in the order a flow is usually built.</summary>
internal static class FlowStepEditor
{
    public static readonly IReadOnlyList<string> Types =
    [
        FlowStepTypes.Message, FlowStepTypes.Buttons, FlowStepTypes.Slot, FlowStepTypes.Branch, FlowStepTypes.Http,
        FlowStepTypes.Answer, FlowStepTypes.Set, FlowStepTypes.Handoff, FlowStepTypes.End,
    ];
}
