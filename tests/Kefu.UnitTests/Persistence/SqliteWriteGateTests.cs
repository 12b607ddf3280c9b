using Kefu.Server.Persistence;

namespace Kefu.UnitTests.Persistence;

/// <summary>The write line in front of SQLite's one write lock: one holder, the message writer first, nobody starved.</summary>
public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task OneTurnAtATime_TheNextWaiterGetsItWhenTheHolderLeaves()
    {
        var gate = new SqliteWriteGate(enabled: true);
        var held = await gate.EnterAsync(first: false, CancellationToken.None);

        var next = gate.EnterAsync(first: false, CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);

        held.Dispose();
        using var turn = await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task TheMessageWriter_GoesBeforeBackgroundWritersThatWaitedLonger()
    {
        var gate = new SqliteWriteGate(enabled: true);
        var held = await gate.EnterAsync(first: false, CancellationToken.None);
        var order = new List<string>();
        var background = Take(gate, first: false, order, "background");
        var writer = Take(gate, first: true, order, "writer");

        held.Dispose();
        await Task.WhenAll(background, writer).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["writer", "background"], order);
    }

    [Fact]
    public async Task AWaitingBackgroundWriter_GetsInAfterAFewWriterTurnsInARow()
    {
        var gate = new SqliteWriteGate(enabled: true);
        var order = new List<string>();
        var turn = await gate.EnterAsync(first: true, CancellationToken.None);
        var background = Take(gate, first: false, order, "background");

        // The writer keeps coming back while the background writer waits.
        for (var i = 0; i < SqliteWriteGate.FirstInARow + 2; i++)
        {
            var again = gate.EnterAsync(first: true, CancellationToken.None).AsTask();
            turn.Dispose();
            turn = await again.WaitAsync(TimeSpan.FromSeconds(5));
            lock (order)
            {
                order.Add("writer");
            }
        }

        turn.Dispose();
        await background.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(order.IndexOf("background") is > 0 and < SqliteWriteGate.FirstInARow + 1, string.Join(", ", order));
    }

    [Fact]
    public async Task ACancelledWaiter_IsSkipped_AndTheLineGoesOn()
    {
        var gate = new SqliteWriteGate(enabled: true);
        var held = await gate.EnterAsync(first: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(first: true, cancel.Token).AsTask();
        var waiting = gate.EnterAsync(first: false, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held.Dispose();

        using var turn = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnOpenGate_OnPostgreSql_NeverWaits()
    {
        var gate = new SqliteWriteGate(enabled: false);
        using var first = await gate.EnterAsync(first: false, CancellationToken.None);

        var second = gate.EnterAsync(first: true, CancellationToken.None);

        Assert.True(second.IsCompletedSuccessfully);
        using var turn = await second;
    }

    private static async Task Take(SqliteWriteGate gate, bool first, List<string> order, string name)
    {
        using var turn = await gate.EnterAsync(first, CancellationToken.None);
        lock (order)
        {
            order.Add(name);
        }
    }
}
