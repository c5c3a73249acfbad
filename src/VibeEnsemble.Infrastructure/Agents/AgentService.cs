using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>
/// The one implementation of agent registration and presence. MCP tools, <c>vibe/agent/*</c> methods,
/// the HTTP API and the dashboard all come through here.
/// </summary>
public sealed partial class AgentService(
    IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    CoordinationEventBus events,
    TimeProvider time,
    ILogger<AgentService> logger)
{
    public async Task<AgentSnapshot> RegisterAsync(
        RegisterAgentCommand command, AgentConnection connection, CancellationToken cancellationToken)
    {
        var name = Agent.NormalizeName(command.Name);
        try
        {
            return await RegisterOnceAsync(name, command, connection, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            // Another connection registered the same new name between our read and our insert: it exists now.
            return await RegisterOnceAsync(name, command, connection, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<AgentSnapshot>> ListAsync(AgentStatus? status, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Agents.AsNoTracking();
        if (status is { } wanted)
        {
            query = query.Where(a => a.Status == wanted);
        }

        return await query.OrderBy(a => a.Name).Select(AgentSnapshot.Projection).ToListAsync(cancellationToken);
    }

    public async Task<AgentSnapshot?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = Agent.NormalizeName(name);
        return await db.Agents.AsNoTracking().Where(a => a.Name == normalized)
            .Select(AgentSnapshot.Projection).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<AgentSnapshot> HeartbeatAsync(
        string name, AgentConnection connection, CancellationToken cancellationToken)
    {
        var normalized = Agent.NormalizeName(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Name == normalized, cancellationToken)
            ?? throw new EntityNotFoundException("Agent", normalized);
        var wasOffline = agent.Status == AgentStatus.Offline;
        var now = time.GetUtcNow();
        agent.Heartbeat(connection, now);
        await db.SaveChangesAsync(cancellationToken);

        var snapshot = AgentSnapshot.From(agent);
        events.Publish(new AgentChanged(
            snapshot, wasOffline ? AgentChange.Reconnected : AgentChange.Heartbeat, connection.ConnectionId, now));
        return snapshot;
    }

    /// <summary>Takes every agent bound to a connection that has just ended offline.</summary>
    public async Task<int> DisconnectAsync(string connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = await db.Agents.Where(a => a.ConnectionId == connectionId).ToListAsync(cancellationToken);
        return await TakeOfflineAsync(db, agents, cancellationToken);
    }

    /// <summary>
    /// On start no connection from before can still be alive, so every agent is offline until it comes back.
    /// </summary>
    public async Task<int> ResetPresenceAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = await db.Agents.Where(a => a.Status != AgentStatus.Offline).ToListAsync(cancellationToken);
        return await TakeOfflineAsync(db, agents, cancellationToken);
    }

    private async Task<AgentSnapshot> RegisterOnceAsync(
        string name, RegisterAgentCommand command, AgentConnection connection, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
        var change = agent is null ? AgentChange.Registered : AgentChange.Reconnected;
        if (agent is null)
        {
            agent = Agent.Register(name, command.Capabilities, command.Specializations, connection, now);
            db.Agents.Add(agent);
        }
        else
        {
            if (agent.ConnectionId is { } previous && previous != connection.ConnectionId)
            {
                LogTakeover(logger, agent.Name, previous, connection.ConnectionId);
            }

            agent.Reconnect(command.Capabilities, command.Specializations, connection, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogRegistered(logger, agent.Name, change, connection.Transport, connection.ConnectionId);

        var snapshot = AgentSnapshot.From(agent);
        events.Publish(new AgentChanged(snapshot, change, connection.ConnectionId, now));
        return snapshot;
    }

    private async Task<int> TakeOfflineAsync(
        VibeEnsembleDbContext db, List<Agent> agents, CancellationToken cancellationToken)
    {
        if (agents.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        foreach (var agent in agents)
        {
            agent.Disconnect(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var agent in agents)
        {
            LogOffline(logger, agent.Name);
            events.Publish(new AgentChanged(AgentSnapshot.From(agent), AgentChange.Disconnected, null, now));
        }

        return agents.Count;
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
