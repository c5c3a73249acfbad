using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>
/// The one implementation of agent registration and presence; MCP tools, <c>vibe/agent/*</c>, the HTTP API and
/// the dashboard all come through here. Presence lives in <see cref="PresenceRegistry"/>: reads never touch the
/// database, registrations and status changes are committed before the caller hears back, and heartbeats only
/// touch memory until the next flush (ADR-005).
/// </summary>
public sealed partial class AgentService(
    PresenceRegistry presence,
    IDurableWriter writer,
    IOptions<StorageOptions> storage,
    CoordinationEventBus events,
    TimeProvider time,
    ILogger<AgentService> logger)
{
    public async Task<AgentSnapshot> RegisterAsync(
        RegisterAgentCommand command, AgentConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await RegisterOnceAsync(command, connection, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            // Another process on the same file (a --stdio server) registered this name after we loaded: adopt its
            // row, then register again as a returning agent.
            await AdoptStoredAsync(Agent.NormalizeName(command.Name), cancellationToken);
            return await RegisterOnceAsync(command, connection, cancellationToken);
        }
    }

    public Task<IReadOnlyList<AgentSnapshot>> ListAsync(AgentStatus? status, CancellationToken cancellationToken) =>
        Task.FromResult(presence.List(status));

    public Task<AgentSnapshot?> FindAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(presence.Find(Agent.NormalizeName(name)));

    /// <summary>The agent this connection registered as; tools that act for an agent need one.</summary>
    public AgentSnapshot RequireCaller(AgentConnection connection) =>
        presence.OnConnection(connection.ConnectionId)
            ?? throw new DomainException("This session has no agent yet: call register_agent (vibe/agent/register) first.");

    /// <summary>The agent this connection registered as, if any (a person's session may act without one).</summary>
    public AgentSnapshot? OptionalCaller(AgentConnection connection) => presence.OnConnection(connection.ConnectionId);

    public async Task<AgentSnapshot> HeartbeatAsync(
        string name, AgentConnection connection, CancellationToken cancellationToken)
    {
        var normalized = Agent.NormalizeName(name);
        var now = time.GetUtcNow();
        lock (presence.Gate)
        {
            var agent = presence.Get(normalized) ?? throw new EntityNotFoundException("Agent", normalized);
            if (agent.Status is AgentStatus.Online or AgentStatus.Busy)
            {
                // The common case: memory only, saved with the next flush.
                agent.Heartbeat(connection, now);
                presence.MarkSeen(agent);
                var snapshot = AgentSnapshot.From(agent);
                if (events.HasSubscribers(EventKinds.AgentHeartbeat))
                {
                    events.Publish(new AgentChanged(snapshot, AgentChange.Heartbeat, connection.ConnectionId, now));
                }

                return snapshot;
            }
        }

        // An offline or stale agent beating again is back online: a status change, so it is written through.
        return await ChangeAsync(normalized, connection, cancellationToken);
    }

    /// <summary>Takes every agent bound to a connection that has just ended offline.</summary>
    public async Task<int> DisconnectAsync(string connectionId, CancellationToken cancellationToken)
    {
        using var slot = await writer.ReserveAsync(cancellationToken);
        Task<int> saved;
        List<string> names;
        lock (presence.Gate)
        {
            _touched.TryRemove(connectionId, out _);
            var agents = presence.BoundTo(connectionId);
            if (agents.Count == 0)
            {
                return 0;
            }

            var now = time.GetUtcNow();
            var rows = new List<AgentRow>(agents.Count);
            var changes = new List<AgentChanged>(agents.Count);
            foreach (var agent in agents)
            {
                agent.Disconnect(now);
                presence.Saved(agent);
                rows.Add(AgentRow.From(agent));
                changes.Add(new AgentChanged(AgentSnapshot.From(agent), AgentChange.Disconnected, null, now));
            }

            names = [.. agents.Select(a => a.Name)];
            saved = slot.Enqueue(new SaveAgentsCommand(rows, () => changes.ForEach(events.Publish)));
        }

        var count = await saved;
        foreach (var name in names)
        {
            LogOffline(logger, name);
        }

        return count;
    }

    /// <summary>
    /// Loads every stored agent into memory. In server mode (<paramref name="resetOnline"/>) no connection from
    /// before can still be alive, so every agent is made offline until it comes back.
    /// </summary>
    public async Task<int> LoadAsync(bool resetOnline, CancellationToken cancellationToken)
    {
        var stored = await AgentRow.ReadAllAsync(storage.Value.DatabasePath, cancellationToken);
        var now = time.GetUtcNow();
        var reset = new List<AgentRow>();
        lock (presence.Gate)
        {
            foreach (var agent in stored)
            {
                if (resetOnline && agent.Status != AgentStatus.Offline)
                {
                    // Keep the last-seen time the database has: that is when the agent was really last heard of.
                    var lastSeen = agent.LastSeenAt;
                    agent.Disconnect(lastSeen > now ? now : lastSeen);
                    reset.Add(AgentRow.From(agent));
                }

                presence.Put(agent);
            }
        }

        if (reset.Count > 0)
        {
            await writer.ExecuteAsync(new SaveAgentsCommand(reset), cancellationToken);
        }

        return reset.Count;
    }

    /// <summary>Saves the last-seen times and heartbeat counts gathered in memory since the last flush.</summary>
    public async Task<int> FlushLastSeenAsync(CancellationToken cancellationToken)
    {
        List<AgentRow> rows;
        lock (presence.Gate)
        {
            rows = presence.TakeDirty();
        }

        return rows.Count == 0 ? 0 : await writer.ExecuteAsync(new FlushLastSeenCommand(rows), cancellationToken);
    }

    /// <summary>
    /// Takes in what <c>--stdio</c> server processes on the same database file did to their agents: an agent such
    /// a process holds, or held last, is shown as the database has it, with the events a local change would raise.
    /// The server runs this with every flush.
    /// </summary>
    public async Task<int> SyncForeignAsync(CancellationToken cancellationToken)
    {
        var stored = await AgentRow.ReadStdioAsync(storage.Value.DatabasePath, cancellationToken);
        var changes = new List<AgentChanged>();
        var now = time.GetUtcNow();
        lock (presence.Gate)
        {
            foreach (var row in stored)
            {
                var known = presence.Get(row.Name);
                var changed = known is null
                    || ((PresenceRegistry.IsStdio(row.ConnectionId) || PresenceRegistry.IsStdio(known.ConnectionId))
                        && known.ConnectionId != row.ConnectionId
                        && (known.Status == AgentStatus.Offline || PresenceRegistry.IsStdio(known.ConnectionId)));
                if (!changed)
                {
                    continue;
                }

                presence.Put(row);
                changes.Add(new AgentChanged(AgentSnapshot.From(row),
                    row.Status == AgentStatus.Offline ? AgentChange.Disconnected : AgentChange.Registered,
                    row.ConnectionId, now));
            }
        }

        changes.ForEach(events.Publish);
        return changes.Count;
    }

    private async Task<AgentSnapshot> RegisterOnceAsync(
        RegisterAgentCommand command, AgentConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Built (and so validated) before anything changes: a bad label list must not half-update a known agent.
        var candidate = Agent.Register(command.Name, command.Capabilities, command.Specializations, connection, now, command.Groups);
        using var slot = await writer.ReserveAsync(cancellationToken);
        AgentChanged changed;
        Task<int> saved;
        lock (presence.Gate)
        {
            var agent = presence.Get(candidate.Name);
            var change = agent is null ? AgentChange.Registered : AgentChange.Reconnected;
            if (agent is null)
            {
                agent = candidate;
                presence.Put(agent);
            }
            else
            {
                if (agent.ConnectionId is { } previous && previous != connection.ConnectionId)
                {
                    LogTakeover(logger, agent.Name, previous, connection.ConnectionId);
                }

                agent.Reconnect(command.Capabilities, command.Specializations, connection, now, command.Groups);
            }

            presence.Saved(agent);
            changed = new AgentChanged(AgentSnapshot.From(agent), change, connection.ConnectionId, now);
            saved = slot.Enqueue(new SaveAgentsCommand([AgentRow.From(agent)], () => events.Publish(changed)));
        }

        try
        {
            await saved;
        }
        catch (Exception) when (changed.Change == AgentChange.Registered)
        {
            // Not stored, so not registered: memory must not claim otherwise.
            lock (presence.Gate)
            {
                presence.Remove(candidate);
            }

            throw;
        }

        LogRegistered(logger, changed.Agent.Name, changed.Change, connection.Transport, connection.ConnectionId);
        return changed.Agent;
    }

    private async Task<AgentSnapshot> ChangeAsync(
        string name, AgentConnection connection, CancellationToken cancellationToken)
    {
        using var slot = await writer.ReserveAsync(cancellationToken);
        AgentChanged changed;
        Task<int> saved;
        lock (presence.Gate)
        {
            var agent = presence.Get(name) ?? throw new EntityNotFoundException("Agent", name);
            var now = time.GetUtcNow();
            var change = agent.Status is AgentStatus.Offline or AgentStatus.Stale ? AgentChange.Reconnected : AgentChange.Heartbeat;
            agent.Heartbeat(connection, now);
            presence.Saved(agent);
            changed = new AgentChanged(AgentSnapshot.From(agent), change, connection.ConnectionId, now);
            saved = slot.Enqueue(new SaveAgentsCommand([AgentRow.From(agent)], () => events.Publish(changed)));
        }

        await saved;
        return changed.Agent;
    }

    private async Task AdoptStoredAsync(string name, CancellationToken cancellationToken)
    {
        var stored = (await AgentRow.ReadAllAsync(storage.Value.DatabasePath, cancellationToken))
            .Find(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
        if (stored is not null)
        {
            lock (presence.Gate)
            {
                presence.Put(stored);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Agent {AgentName} {Change} over {Transport} (connection {ConnectionId}).")]
    private static partial void LogRegistered(
        ILogger logger, string agentName, AgentChange change, string transport, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} went offline.")]
    private static partial void LogOffline(ILogger logger, string agentName);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Agent {AgentName} moved from connection {Previous} to {Current}.")]
    private static partial void LogTakeover(ILogger logger, string agentName, string previous, string current);
}
