using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VibeEnsemble.Domain.Agents;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>
/// Presence that tells the truth whatever the transport: every request counts as a sign of life of the agent it acts
/// for, a connected agent silent for <see cref="PresenceOptions.StaleAfter"/> is shown Stale, and one silent for
/// <see cref="PresenceOptions.OfflineAfter"/> goes offline unless it holds a task.
/// </summary>
public sealed partial class AgentService
{
    // Last time (UTC ticks) each connection's agent was marked seen: a busy connection is looked up once a second,
    // not on every call. Entries leave with their connection.
    private readonly ConcurrentDictionary<string, long> _touched = new(StringComparer.Ordinal);

    /// <summary>
    /// A request arrived on <paramref name="connectionId"/>: the agent it acts for, the latest registered on the
    /// connection, is alive. Agents registered on it before cannot act through it any more, so only their own
    /// heartbeats keep them alive; marking them all would cost a lock and a row per agent on every busy connection.
    /// </summary>
    public ValueTask TouchAsync(string connectionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_touched.TryGetValue(connectionId, out var last) && now.UtcTicks - last < TimeSpan.TicksPerSecond)
        {
            return ValueTask.CompletedTask;
        }

        _touched[connectionId] = now.UtcTicks;
        Agent? revived = null;
        lock (presence.Gate)
        {
            if (presence.LatestOn(connectionId) is not { } agent)
            {
                return ValueTask.CompletedTask;
            }

            if (agent.Seen(now))
            {
                revived = agent;
            }
            else
            {
                presence.MarkSeen(agent);
            }
        }

        return revived is null ? ValueTask.CompletedTask : new ValueTask(SaveStatusAsync([revived], AgentChange.Reconnected, cancellationToken));
    }

    /// <summary>
    /// Marks connected agents silent past <paramref name="staleAfter"/> Stale and takes those silent past
    /// <paramref name="offlineAfter"/> offline, except agents holding a task (<paramref name="holdingTasks"/>, asked
    /// only when there is a candidate), spawned workers (online exactly while their process runs) and agents of
    /// <c>--stdio</c> processes (whose process ends their session). Returns how many changed.
    /// </summary>
    public async Task<int> SweepLivenessAsync(
        TimeSpan staleAfter, TimeSpan offlineAfter, Func<CancellationToken, Task<IReadOnlySet<Guid>>> holdingTasks,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Agent> stale = [];
        List<Agent> silent = [];
        lock (presence.Gate)
        {
            foreach (var agent in presence.Present)
            {
                if (agent.ConnectionId is { } connection && (connection.StartsWith("worker:", StringComparison.Ordinal) || PresenceRegistry.IsStdio(connection)))
                {
                    continue;
                }

                if (now - agent.LastSeenAt >= offlineAfter)
                {
                    silent.Add(agent);
                }
                else if (now - agent.LastSeenAt >= staleAfter && agent.Status != AgentStatus.Stale)
                {
                    stale.Add(agent);
                }
            }
        }

        if (silent.Count > 0)
        {
            var holders = await holdingTasks(cancellationToken);
            stale.AddRange(silent.Where(a => holders.Contains(a.Id) && a.Status != AgentStatus.Stale));
            silent.RemoveAll(a => holders.Contains(a.Id));
        }

        var changed = 0;
        if (stale.Count > 0)
        {
            changed += await ChangeStatusAsync(stale, agent => agent.MarkStale(), AgentChange.Stale, cancellationToken);
        }

        if (silent.Count > 0)
        {
            changed += await ChangeStatusAsync(silent, agent =>
            {
                if (agent.Status == AgentStatus.Offline || now - agent.LastSeenAt < offlineAfter)
                {
                    return false;
                }

                _touched.TryRemove(agent.ConnectionId ?? "", out _);
                // Offline from its last sign of life, not from now: that is when it was last known to be there.
                agent.Disconnect(agent.LastSeenAt);
                LogSilentOffline(logger, agent.Name, offlineAfter);
                return true;
            }, AgentChange.Disconnected, cancellationToken);
        }

        return changed;
    }

    /// <summary>Applies a status change to each agent it still applies to (checked again under the lock), saves and publishes it.</summary>
    private async Task<int> ChangeStatusAsync(List<Agent> candidates, Func<Agent, bool> change, AgentChange kind, CancellationToken cancellationToken)
    {
        List<Agent> changed = [];
        lock (presence.Gate)
        {
            foreach (var agent in candidates)
            {
                if (ReferenceEquals(presence.Get(agent.Name), agent) && change(agent))
                {
                    changed.Add(agent);
                }
            }
        }

        await SaveStatusAsync(changed, kind, cancellationToken);
        return changed.Count;
    }

    private async Task SaveStatusAsync(List<Agent> agents, AgentChange kind, CancellationToken cancellationToken)
    {
        if (agents.Count == 0)
        {
            return;
        }

        using var slot = await writer.ReserveAsync(cancellationToken);
        Task<int> saved;
        lock (presence.Gate)
        {
            var now = time.GetUtcNow();
            var rows = new List<AgentRow>(agents.Count);
            var changes = new List<AgentChanged>(agents.Count);
            foreach (var agent in agents)
            {
                presence.Saved(agent);
                rows.Add(AgentRow.From(agent));
                changes.Add(new AgentChanged(AgentSnapshot.From(agent), kind, null, now));
            }

            saved = slot.Enqueue(new SaveAgentsCommand(rows, () => changes.ForEach(events.Publish)));
        }

        await saved;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} went offline: no request or heartbeat for {Silence}.")]
    private static partial void LogSilentOffline(ILogger logger, string agentName, TimeSpan silence);
}
