using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Components;

namespace Kefu.Server.Console.Pages.Reports;

/// <summary>
/// A dashboard tab: loads once when shown and again when the filters' <see cref="Version"/> changes (never on a mere
/// re-render of the page), and hands a refused filter up to the filter bar.
/// </summary>
public abstract class ReportTab : ComponentBase
{
    private int? _loaded;

    [Parameter, EditorRequired] public AgentIdentity? Agent { get; set; }

    [Parameter, EditorRequired] public ReportFilter Filter { get; set; } = default!;

    /// <summary>The filters' version; a new one reloads.</summary>
    [Parameter] public int Version { get; set; }

    [Parameter] public EventCallback<KefuError?> OnError { get; set; }

    [Inject] protected TimeProvider Time { get; set; } = default!;

    protected DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>True while a load runs (the grid's and charts' loading state).</summary>
    protected bool Loading { get; private set; }

    protected override async Task OnParametersSetAsync()
    {
        if (Agent is null || _loaded == Version)
        {
            return;
        }

        _loaded = Version;
        Loading = true;
        var error = await LoadAsync(CancellationToken.None);
        Loading = false;
        await OnError.InvokeAsync(error);
    }

    /// <summary>Reads the tab's report through its handler; returns the handler's error, or null.</summary>
    protected abstract Task<KefuError?> LoadAsync(CancellationToken cancellationToken);
}
