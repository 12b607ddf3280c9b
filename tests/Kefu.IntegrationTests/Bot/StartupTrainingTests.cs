using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Bot;

/// <summary>
/// After a start the bot's models are trained in the background from the articles in the database: readiness does not
/// wait for them, and the first visitor question is answered by the start-up model, never by a training of its own.
/// </summary>
public sealed class StartupTrainingTests
{
    [Fact]
    public async Task Restart_FirstQuestionAtOnce_IsAnsweredByTheModelTrainedAtStart()
    {
        string dataDirectory;
        await using (var first = new KefuFactory { Bot = true }.Start())
        {
            dataDirectory = first.DataDirectory;
        }

        await using var restarted = new KefuFactory(dataDirectory) { Bot = true }.Start();
        await using var visitor = await BotVisitor.StartAsync(restarted);

        // Asked at once: the start-up training may still be running, and the question then waits for it.
        var reply = await visitor.AskAsync("how much is shipping?");

        Assert.StartsWith("Shipping is **free over ¥99**; below that", reply.Text);
        var models = restarted.Services.GetRequiredService<KnowledgeModelCache>();
        Assert.Equal(1, models.Trainings(TrainingReason.Startup));
        Assert.Equal(0, models.Trainings(TrainingReason.OnDemand));
    }

    [Fact]
    public async Task Start_HealthzIsReady_AndTheModelIsTrainedWithoutAnyQuestion()
    {
        await using var server = new KefuFactory { Bot = true }.Start();
        using var http = server.Http();

        var health = await http.GetAsync("/healthz");

        Assert.True(health.IsSuccessStatusCode);
        var tenant = await server.WithDbAsync(db => db.Tenants.Select(t => t.Id).SingleAsync());
        var models = server.Services.GetRequiredService<KnowledgeModelCache>();
        await Wait.UntilAsync(() => Task.FromResult(models.IsReady(tenant)), "the demo workspace's model, trained in the background");
        Assert.True(models.WarmedUp.IsCompleted);
        Assert.Equal(1, models.Trainings(TrainingReason.Startup));
        Assert.Equal(0, models.Trainings(TrainingReason.OnDemand));
    }
}
