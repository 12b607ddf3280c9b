using Microsoft.Extensions.Options;

namespace Kefu.Server.Persistence;

/// <summary>
/// One in-process line for the busy SQLite writers, with the message writer first. SQLite has one write lock per
/// file; a connection that finds it taken sleeps in SQLite's busy handler in growing steps (up to 100 ms each), so
/// under load the message writer — whose commit every sender's ack waits for — slept past the moment the search
/// flush, the bell or the outbox pass let go, and the acks queued behind it (the fixed-rate tail in
/// docs/benchmarks.md). Waiting here instead wakes the next writer the moment the previous one leaves, and hands the
/// lock to the message writer before any background writer. On PostgreSQL (row locks, many writers) the gate is
/// open: <see cref="EnterAsync"/> returns at once.
/// </summary>
/// <remarks>
/// Only writers that take the gate around their whole write transaction are in the line; any other write still
/// meets SQLite's own lock and busy handler, as before, so correctness never depends on the gate. Never enter it
/// twice in one flow (it is not re-entrant), and never await anything but the database while holding it.
/// </remarks>
public sealed class SqliteWriteGate
{
    /// <summary>After this many message-writer turns in a row while a background writer waits, the background writer goes next.</summary>
    internal const int FirstInARow = 4;

    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<Turn>> _first = new();
    private readonly Queue<TaskCompletionSource<Turn>> _others = new();
    private bool _held;
    private int _firstInARow;

    /// <summary>Creates the gate, open unless the database is SQLite.</summary>
    public SqliteWriteGate(IOptions<DatabaseOptions> options) => Enabled = options.Value.Provider == DatabaseProvider.Sqlite;

    internal SqliteWriteGate(bool enabled) => Enabled = enabled;

    /// <summary>False on PostgreSQL: entering returns at once.</summary>
    public bool Enabled { get; }

    /// <summary>
    /// Waits for the write turn; dispose the result to give it up. <paramref name="first"/> is for the message writer
    /// only: it goes before every background writer, except that one waiting background writer is let in after
    /// <see cref="FirstInARow"/> message-writer turns in a row, so the search index and the bell never starve.
    /// </summary>
    public async ValueTask<Turn> EnterAsync(bool first, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return default;
        }

        TaskCompletionSource<Turn> waiter;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                _firstInARow = first ? Math.Min(_firstInARow + 1, FirstInARow) : 0;
                return new Turn(this);
            }

            waiter = new TaskCompletionSource<Turn>(TaskCreationOptions.RunContinuationsAsynchronously);
            (first ? _first : _others).Enqueue(waiter);
        }

        // A cancelled waiter stays in its queue and is skipped when its turn comes (TrySetResult fails on it).
        await using (cancellationToken.Register(static w => ((TaskCompletionSource<Turn>)w!).TrySetCanceled(), waiter))
        {
            return await waiter.Task;
        }
    }

    private void Leave()
    {
        lock (_lock)
        {
            while (true)
            {
                var others = _others.Count > 0 && (_first.Count == 0 || _firstInARow >= FirstInARow);
                var queue = others ? _others : _first;
                if (!queue.TryDequeue(out var next))
                {
                    _held = false;
                    return;
                }

                if (next.TrySetResult(new Turn(this)))
                {
                    _firstInARow = others ? 0 : Math.Min(_firstInARow + 1, FirstInARow);
                    return;
                }
            }
        }
    }

    /// <summary>A held write turn; disposing it lets the next writer in. The default value (open gate) does nothing.</summary>
    public readonly struct Turn : IDisposable
    {
        private readonly SqliteWriteGate? _gate;

        internal Turn(SqliteWriteGate gate) => _gate = gate;

        /// <summary>Gives the turn to the next waiting writer.</summary>
        public void Dispose() => _gate?.Leave();
    }
}
