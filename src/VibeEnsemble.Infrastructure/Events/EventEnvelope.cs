using System.Text.Json;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Events;

/// <summary>
/// An event as the event stream carries it: a type (<c>task.updated</c>, <c>message</c>, ...), the agents it concerns
/// (for the <c>agent</c> filter) and its payload as JSON.
/// </summary>
public sealed record EventEnvelope(string Type, IReadOnlyList<Guid> Agents, string Data)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Every type the stream carries, for its <c>types</c> filter.</summary>
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "agent.registered", "agent.updated", "agent.offline", "agent.stale", "task.updated", "task.children-finished", "task.escalated",
        "worker.updated", "permission.requested", "permission.decided", "permission.rules-changed", "message", "issue.updated",
    };

    /// <summary>The envelope of an event the stream keeps; null for the high-rate or connection-bound kinds it leaves out.</summary>
    public static EventEnvelope? From(CoordinationEvent coordinationEvent) => coordinationEvent switch
    {
        AgentChanged { Change: AgentChange.Heartbeat } => null,
        AgentChanged changed => Of(changed.Change switch
        {
            AgentChange.Disconnected => "agent.offline",
            AgentChange.Stale => "agent.stale",
            AgentChange.GroupsChanged => "agent.updated",
            _ => "agent.registered",
        }, changed.Agent, changed.Agent.Id),
        TaskChanged { Task: var task } => Of("task.updated", task, task.AssigneeAgentId, task.CreatedByAgentId),
        ChildrenFinished finished => Of("task.children-finished", new { finished.Parent, finished.Children }, finished.Parent.CreatedByAgentId),
        TaskEscalated escalated => Of("task.escalated", new { escalated.Task, escalated.Reason }, escalated.Task.CreatedByAgentId, escalated.Task.AssigneeAgentId),
        WorkerChanged { Worker: var worker } => Of("worker.updated", worker, worker.AgentId),
        PermissionRequested { Request: var request } => Of(
            request.State == Domain.Permissions.PermissionState.Pending ? "permission.requested" : "permission.decided", request, request.AgentId),
        PermissionRulesChanged => Of("permission.rules-changed", new { }),
        MessageSent sent => new EventEnvelope("message", sent.Recipients, JsonSerializer.Serialize(sent.Message, s_json)),
        Issues.IssueChanged { Issue: var issue } => Of("issue.updated", issue, issue.AssigneeAgentId, issue.ReporterAgentId),
        // Without the body (up to 100 KB): readers fetch it when they want it.
        Knowledge.KnowledgeChanged { Entry: var entry } => Of("knowledge.updated", new { entry.Id, entry.Title, entry.Category, entry.Tags, entry.Author, entry.Version, entry.UpdatedAt }),
        Conflicts.ReservationsChanged changed => Of("reservation.updated", new { changed.Change, changed.Reservations }, changed.AgentId),
        Conflicts.ConflictChanged changed => Of("conflict.updated", new { changed.Change, changed.Conflict }, changed.Conflict.First.AgentId, changed.Conflict.Second.AgentId),
        _ => null,
    };

    private static EventEnvelope Of<T>(string type, T payload, params Guid?[] agents) =>
        new(type, [.. agents.OfType<Guid>().Distinct()], JsonSerializer.Serialize(payload, s_json));
}
