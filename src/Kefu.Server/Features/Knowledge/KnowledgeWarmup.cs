namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// Trains every workspace's knowledge model from the published articles in the database once the server has started,
/// in the background: <c>/healthz</c> and the first requests never wait for it, and the first visitor question after a
/// restart finds the model ready (or waits for this training instead of starting its own).
/// </summary>
internal sealed class KnowledgeWarmup(KnowledgeModelCache models, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After the host has started (migrations done, Kestrel listening): training competes for the two cores of a
        // small server with JIT and the first requests, and readiness is what an orchestrator waits for.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        await models.WarmUpAsync(stoppingToken);
    }
}
