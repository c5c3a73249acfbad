using Microsoft.Extensions.Logging;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>
/// Named message groups: an agent joins "reviewers" and every message to <c>group:reviewers</c> reaches it, online
/// or not, until it leaves. Membership is part of the agent's row, written through like a status change.
/// </summary>
public sealed partial class AgentService
{
    /// <summary>Joins (or, with <paramref name="leave"/>, leaves) a named group as the agent on this connection.</summary>
    public async Task<AgentSnapshot> ChangeGroupAsync(
        AgentConnection connection, string? group, bool leave, CancellationToken cancellationToken)
    {
        var name = Agent.NormalizeGroup(group);
        using var slot = await writer.ReserveAsync(cancellationToken);
        AgentChanged changed;
        Task<int> saved;
        lock (presence.Gate)
        {
            var caller = RequireCaller(connection);
            var agent = presence.Get(caller.Name) ?? throw new EntityNotFoundException("Agent", caller.Name);
            var changedMembership = leave ? agent.Leave(name) : agent.Join(name);
            changed = new AgentChanged(AgentSnapshot.From(agent), AgentChange.GroupsChanged, connection.ConnectionId, time.GetUtcNow());
            if (!changedMembership)
            {
                // Joining twice or leaving a group one is not in changes nothing and is not an error.
                return changed.Agent;
            }

            presence.Saved(agent);
            saved = slot.Enqueue(new SaveAgentsCommand([AgentRow.From(agent)], () => events.Publish(changed)));
        }

        await saved;
        LogGroupChanged(logger, changed.Agent.Name, leave ? "left" : "joined", name);
        return changed.Agent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} {Action} group {Group}.")]
    private static partial void LogGroupChanged(ILogger logger, string agentName, string action, string group);
}
