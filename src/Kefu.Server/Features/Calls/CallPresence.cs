using System.Collections.Concurrent;
using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// Counts each call party's hub connections on this node (fed by <c>Realtime/CallConnectionFilter</c>). When a party's
/// last connection goes away — a closed tab, a lost network, a sign-out, which closes the session's connections — its
/// live calls end as <c>disconnected</c> after <see cref="CallsOptions.ReconnectGrace"/>, unless it came back.
/// Without this a call whose side vanished stayed active until the other side hung up (ADR 0040).
/// </summary>
internal sealed partial class CallPresence(CallRegistry registry, CallLifecycle lifecycle, TimeProvider time, ILogger<CallPresence> logger)
{
    private readonly ConcurrentDictionary<CallParty, int> _connections = new();

    // When each party was last left with no connection (a number, not a time): a grace timer ends calls only if it
    // belongs to the latest departure, so leaving, coming back and leaving again waits a whole grace from the last.
    private readonly ConcurrentDictionary<CallParty, long> _gone = new();
    private long _departures;

    public void Connected(CallParty party)
    {
        _connections.AddOrUpdate(party, 1, (_, n) => n + 1);
        _gone.TryRemove(party, out _);
    }

    public void Disconnected(CallParty party)
    {
        if (_connections.AddOrUpdate(party, 0, (_, n) => n - 1) > 0)
        {
            return;
        }

        _connections.TryRemove(new KeyValuePair<CallParty, int>(party, 0));
        var departure = Interlocked.Increment(ref _departures);
        _gone[party] = departure;
        if (registry.Live.Any(c => c.IsParticipant(party)))
        {
            _ = EndIfStillGoneAsync(party, departure);
        }
        else
        {
            _gone.TryRemove(new KeyValuePair<CallParty, long>(party, departure));
        }
    }

    public bool IsConnected(CallParty party) => _connections.TryGetValue(party, out var n) && n > 0;

    private async Task EndIfStillGoneAsync(CallParty party, long departure)
    {
        try
        {
            await Task.Delay(lifecycle.Options.ReconnectGrace, time);
            if (IsConnected(party) || !_gone.TryRemove(new KeyValuePair<CallParty, long>(party, departure)))
            {
                return; // back, or gone again since: the later departure's own timer decides
            }

            foreach (var call in registry.Live.Where(c => c.IsParticipant(party)).ToList())
            {
                await lifecycle.EndAsync(call, party, CallEndReasons.Disconnected);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEndFailed(logger, party.Side, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending the calls of a {Side} whose connections went away failed")]
    private static partial void LogEndFailed(ILogger logger, CallSide side, Exception ex);
}
