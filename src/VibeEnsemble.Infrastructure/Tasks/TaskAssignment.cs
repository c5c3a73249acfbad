using System.Collections.Concurrent;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// The connections that take pushed work: native /ws clients that subscribed to <c>task.assign</c>. The scheduler
/// offers ready tasks to their agents before it spawns a worker.
/// </summary>
public sealed class AssignmentListeners
{
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);

    /// <summary>Raised when a connection starts or stops listening, so that waiting tasks are looked at again.</summary>
    public event Action? Changed;

    public IReadOnlyCollection<string> Connections => [.. _connections.Keys];

    public void Listen(string connectionId)
    {
        if (_connections.TryAdd(connectionId, 0))
        {
            Changed?.Invoke();
        }
    }

    public void Stop(string connectionId) => _connections.TryRemove(connectionId, out _);
}

/// <summary>A task offered to one agent; pushed as <c>vibe/task/assign</c> to its connection only.</summary>
public sealed record TaskAssigned(TaskSnapshot Task, string ConnectionId, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.TaskAssign;

    // Only the connection offered the task is pushed it.
    public override IReadOnlySet<string> Audience => new HashSet<string>(StringComparer.Ordinal) { ConnectionId };
}

/// <summary>
/// Offers a ready task to an agent, which must start it before the lease ends or it is offered elsewhere. Null when
/// the task is no longer ready.
/// </summary>
internal sealed class AssignTaskCommand(
    Guid taskId, Guid agentId, string connectionId, TimeSpan lease, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<TaskSnapshot?>(events, time)
{
    private TaskAssigned? _assigned;

    protected override TaskSnapshot? Run(DateTimeOffset now)
    {
        var db = Db;
        _assigned = null;
        var task = Load(db, taskId);
        if (task.Status != AgentTaskStatus.Ready)
        {
            return null;
        }

        task.Assign(agentId, null, now + lease, now);
        db.SaveChanges();
        var snapshot = Changed(task);
        _assigned = new TaskAssigned(snapshot, connectionId, now);
        return snapshot;
    }

    public override void OnCommitted()
    {
        base.OnCommitted();
        if (_assigned is { } assigned)
        {
            Events.Publish(assigned);
        }
    }
}
