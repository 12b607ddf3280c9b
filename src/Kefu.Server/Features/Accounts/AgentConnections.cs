using System.Collections.Concurrent;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.SignIn;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// The agent hub connections open on this node, by user, so that ending a user's sessions (sign-out
/// everywhere, password change, deactivation) also closes the connections they already hold: a hub
/// connection is authenticated once, when it opens, and would otherwise outlive the revoked token.
/// </summary>
internal sealed class AgentConnections : IHubFilter
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, HubCallerContext>> _byUser = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (AgentIdentity.From(context.Context.User) is { } agent)
        {
            _byUser.GetOrAdd(agent.UserId, _ => new())[context.Context.ConnectionId] = context.Context;
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (AgentIdentity.From(context.Context.User) is { } agent && _byUser.TryGetValue(agent.UserId, out var connections))
        {
            connections.TryRemove(context.Context.ConnectionId, out _);
        }

        await next(context, exception);
    }

    /// <summary>Raised by <see cref="CloseEverywhere"/>, so the cluster relay closes the user's connections on other nodes too.</summary>
    public event Action<Guid>? ClosingEverywhere;

    /// <summary>Aborts every agent hub connection of <paramref name="userId"/>, on this node and (with Redis) on every other; returns how many here.</summary>
    public int CloseEverywhere(Guid userId)
    {
        ClosingEverywhere?.Invoke(userId);
        return CloseAll(userId);
    }

    /// <summary>
    /// Raised by <see cref="CloseSessionEverywhere"/> and <see cref="CloseAllButSessionEverywhere"/> with the user, the
    /// session and whether it is the one to close (true) or the one to keep (false), for the cluster relay.
    /// </summary>
    public event Action<Guid, Guid, bool>? ClosingSessionEverywhere;

    /// <summary>Aborts the agent hub connections opened with session <paramref name="sessionId"/>, on this node and every other.</summary>
    public int CloseSessionEverywhere(Guid userId, Guid sessionId)
    {
        ClosingSessionEverywhere?.Invoke(userId, sessionId, true);
        return CloseWhere(userId, sessionId, keep: false);
    }

    /// <summary>Aborts the agent hub connections of <paramref name="userId"/> except those of <paramref name="keep"/>, everywhere.</summary>
    public int CloseAllButSessionEverywhere(Guid userId, Guid keep)
    {
        ClosingSessionEverywhere?.Invoke(userId, keep, false);
        return CloseWhere(userId, keep, keep: true);
    }

    /// <summary>
    /// On this node: aborts the user's connections of session <paramref name="sessionId"/> (<paramref name="keep"/>
    /// false) or all of theirs but that session's (true); returns how many.
    /// </summary>
    public int CloseWhere(Guid userId, Guid sessionId, bool keep)
    {
        if (!_byUser.TryGetValue(userId, out var connections))
        {
            return 0;
        }

        var closed = 0;
        foreach (var (id, connection) in connections)
        {
            if ((SessionClaims.Session(connection.User) == sessionId) != keep && connections.TryRemove(id, out _))
            {
                connection.Abort();
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Aborts every agent hub connection of <paramref name="userId"/> on this node; returns how many.</summary>
    public int CloseAll(Guid userId)
    {
        if (!_byUser.TryRemove(userId, out var connections))
        {
            return 0;
        }

        foreach (var connection in connections.Values)
        {
            connection.Abort();
        }

        return connections.Count;
    }
}
