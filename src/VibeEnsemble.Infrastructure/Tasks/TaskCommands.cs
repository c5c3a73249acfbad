using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// The durable task changes, run on the writer. Each collects the snapshots it changed and publishes them once the
/// change is committed. They only touch the database in <c>Execute</c>, which may run twice (a replayed batch).
/// </summary>
internal abstract class TaskCommand<T>(CoordinationEventBus events, TimeProvider time) : IWriteCommand<T>
{
    private readonly List<TaskSnapshot> _changed = [];
    private readonly List<ChildrenFinished> _rolledUp = [];
    private readonly List<TaskEscalated> _escalated = [];
    private readonly TaskEscalations _escalations = new();
    private WriteContext? _context;
    private DateTimeOffset _now;

    public T Execute(WriteContext context)
    {
        _changed.Clear();
        _rolledUp.Clear();
        _escalated.Clear();
        _now = time.GetUtcNow();
        _context = context;
        _escalations.Clear();
        var result = Run(_now);
        if (_escalated.Count > 0)
        {
            foreach (var escalation in _escalated)
            {
                _escalations.Record(Db, escalation, _now);
            }

            Db.SaveChanges();
        }

        return result;
    }

    protected CoordinationEventBus Events => events;

    /// <summary>The writer's connection, for the hand-written statements of <see cref="TaskRows"/>.</summary>
    protected WriteContext Context => _context ?? throw new InvalidOperationException("Only while the command runs.");

    /// <summary>
    /// EF Core on the writer's transaction, for the moves that are not on the hot path. Taken only when used: a
    /// batch whose commands never touch it does not enlist it in the transaction.
    /// </summary>
    protected VibeEnsembleDbContext Db => Context.Db;

    public virtual void OnCommitted()
    {
        foreach (var task in _changed)
        {
            events.Publish(new TaskChanged(task, _now));
        }

        // A child's own failure is told before the roll-up of its parent that it completes.
        foreach (var escalation in _escalated)
        {
            events.Publish(escalation);
        }

        _escalations.Publish(events, _now);

        foreach (var rollUp in _rolledUp)
        {
            events.Publish(rollUp);
        }
    }

    protected abstract T Run(DateTimeOffset now);

    protected TaskSnapshot Changed(AgentTask task)
    {
        var snapshot = TaskSnapshot.From(task);
        _changed.Add(snapshot);
        if (task.IsFinished && task.ParentTaskId is { } parentId)
        {
            RollUp(Db, task, parentId);
        }

        // Failed for good in this very change (its last attempt ended now): escalated to whoever coordinates.
        if (task.Status == AgentTaskStatus.Failed && task.Attempts.MaxBy(a => a.Number) is { EndedAt: { } ended } last && ended == _now)
        {
            _escalated.Add(new TaskEscalated(snapshot, last.Reason ?? task.WaitingReason ?? "failed", _now));
        }

        return snapshot;
    }

    /// <summary>
    /// When the last child of a task ends, its creator is told, with every child's outcome and result gathered
    /// (<see cref="ChildrenFinished"/>). The child's own change may not be saved yet, so its status is taken as is.
    /// </summary>
    private void RollUp(VibeEnsembleDbContext db, AgentTask child, Guid parentId)
    {
        var children = db.Tasks.AsNoTracking().Where(t => t.ParentTaskId == parentId)
            .Select(t => new TaskBrief(t.Id, t.Title, t.Status, t.Result)).ToList()
            .Select(c => c.Id == child.Id ? c with { Status = child.Status, Result = child.Result } : c).ToList();
        if (children.All(c => c.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled)
            && _rolledUp.All(r => r.Parent.Id != parentId)
            && db.Tasks.AsNoTracking().Include(t => t.Attempts).Include(t => t.Dependencies).SingleOrDefault(t => t.Id == parentId) is { } parent)
        {
            _rolledUp.Add(new ChildrenFinished(TaskSnapshot.From(parent), children, _now));
        }
    }

    protected static AgentTask Load(VibeEnsembleDbContext db, Guid taskId) =>
        db.Tasks.Include(t => t.Attempts).Include(t => t.Dependencies).SingleOrDefault(t => t.Id == taskId)
            ?? throw new EntityNotFoundException("Task", taskId.ToString());

    /// <summary>
    /// A ready or blocked task waits exactly while one of its dependencies is unfinished: blocks it, or releases it.
    /// </summary>
    protected void ApplyDependencies(AgentTask task, DateTimeOffset now)
    {
        if (task.Status is not (AgentTaskStatus.Ready or AgentTaskStatus.Blocked))
        {
            return;
        }

        var unfinished = task.Dependencies.Count == 0 ? [] : TaskRows.Unfinished(Context, task.Dependencies.Select(d => d.DependsOnTaskId));
        if (unfinished.Count > 0)
        {
            task.Block(unfinished, now);
        }
        else if (task.Status == AgentTaskStatus.Blocked)
        {
            task.Unblock(now);
        }
    }

    /// <summary>
    /// Re-applies <see cref="ApplyDependencies"/> to every blocked task that waits for <paramref name="completed"/>,
    /// which must already be saved as Completed so that the query sees it so; each released task is saved here.
    /// </summary>
    protected void ReleaseDependents(AgentTask completed, DateTimeOffset now)
    {
        foreach (var id in TaskRows.BlockedDependents(Context, completed.Id))
        {
            var loaded = TaskRows.Load(Context, id);
            ApplyDependencies(loaded.Task, now);
            TaskRows.Save(Context, loaded);
            Changed(loaded.Task);
        }
    }

    /// <summary>Refuses the first id in <paramref name="taskIds"/> that names no task.</summary>
    protected void RequireExisting(IReadOnlyCollection<Guid> taskIds)
    {
        foreach (var id in taskIds)
        {
            if (!TaskRows.Exists(Context, id))
            {
                throw new EntityNotFoundException("Task", id.ToString());
            }
        }
    }
}

internal sealed class CreateTaskCommand(
    AgentTask task, IReadOnlyList<Guid> dependsOn, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<TaskSnapshot>(events, time)
{
    protected override TaskSnapshot Run(DateTimeOffset now)
    {
        if (task.ParentTaskId is { } parent && !TaskRows.Exists(Context, parent))
        {
            throw new EntityNotFoundException("Parent task", parent.ToString());
        }

        RequireExisting(dependsOn);
        foreach (var id in dependsOn)
        {
            task.DependOn(id);
        }

        ApplyDependencies(task, now);
        TaskRows.Insert(Context, task);
        return Changed(task);
    }
}

/// <summary>Loads one task, applies a domain move to it, and releases its dependents when it completed.</summary>
internal sealed class ChangeTaskCommand(
    Guid taskId, Action<AgentTask, DateTimeOffset> change, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<TaskSnapshot>(events, time)
{
    protected override TaskSnapshot Run(DateTimeOffset now)
    {
        var loaded = TaskRows.Load(Context, taskId);
        var task = loaded.Task;
        change(task, now);
        ApplyDependencies(task, now);
        var snapshot = Changed(task);
        TaskRows.Save(Context, loaded);
        if (task.Status == AgentTaskStatus.Completed)
        {
            // In the same transaction: the dependents are released in the commit that completes their dependency.
            ReleaseDependents(task, now);
        }

        return snapshot;
    }
}

/// <summary>
/// Gives the calling agent the most urgent ready task it can do: highest priority, then oldest; a task matches when
/// every capability it requires is one the agent has (ignoring case). Atomic, since only the writer claims.
/// </summary>
internal sealed class ClaimNextTaskCommand(
    Guid agentId, IReadOnlyList<string> capabilities, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<TaskSnapshot?>(events, time)
{
    protected override TaskSnapshot? Run(DateTimeOffset now)
    {
        var has = new HashSet<string>(capabilities, StringComparer.OrdinalIgnoreCase);
        // The holders of declared paths are read only when a candidate declared paths (predicted conflicts).
        List<Conflicts.PathHolder>? holders = null;
        Guid? candidate = null;
        foreach (var ready in TaskRows.ReadyInClaimOrder(Context, has))
        {
            if (ready.Paths.Length == 0
                || Conflicts.PathOverlaps.WaitReason(ready.ProjectId, ready.Paths, holders ??= TaskRows.PathHolders(Context)) is null)
            {
                candidate = ready.Id;
                break;
            }
        }

        if (candidate is not { } id)
        {
            return null;
        }

        var loaded = TaskRows.Load(Context, id);
        loaded.Task.Claim(agentId, null, now);
        TaskRows.Save(Context, loaded);
        return Changed(loaded.Task);
    }
}

/// <summary>Makes ready again every task whose retry time has come.</summary>
internal sealed class ReleaseDueRetriesCommand(CoordinationEventBus events, TimeProvider time)
    : TaskCommand<int>(events, time)
{
    protected override int Run(DateTimeOffset now)
    {
        var db = Db;
        var due = db.Tasks.Include(t => t.Attempts).Include(t => t.Dependencies)
            .Where(t => t.Status == AgentTaskStatus.WaitingForRetry && t.NextAttemptAt <= now)
            .ToList();
        foreach (var task in due)
        {
            task.RetryDue(now);
            Changed(task);
        }

        db.SaveChanges();
        return due.Count;
    }
}

/// <summary>
/// Hands on the tasks whose holder has gone: an agent offline for longer than the lease (it may reconnect within
/// it), or an assignment not started within its lease. The attempt ends as Interrupted and the retry policy takes
/// over; a late report from that agent is then refused by the fencing in <see cref="AgentTask"/>.
/// </summary>
internal sealed class InterruptAbandonedCommand(
    IReadOnlyDictionary<Guid, (string Name, DateTimeOffset LastSeen)> offlineAgents, TimeSpan lease,
    CoordinationEventBus events, TimeProvider time)
    : TaskCommand<int>(events, time)
{
    protected override int Run(DateTimeOffset now)
    {
        var db = Db;
        var held = db.Tasks.Include(t => t.Attempts).Include(t => t.Dependencies)
            .Where(t => (t.Status == AgentTaskStatus.Running || t.Status == AgentTaskStatus.Assigned) && t.AssigneeAgentId != null)
            .ToList();
        var interrupted = 0;
        foreach (var task in held)
        {
            if (task.CurrentAttempt is not { WorkerId: null } attempt)
            {
                continue;
            }

            var reason = task.Status == AgentTaskStatus.Assigned && task.LeaseExpiresAt <= now
                ? $"not started within its {lease.TotalSeconds:0} s lease"
                : offlineAgents.TryGetValue(task.AssigneeAgentId!.Value, out var gone) && gone.LastSeen + lease <= now
                    ? $"agent '{gone.Name}' went offline at {gone.LastSeen:u} and did not come back within {lease.TotalSeconds:0} s"
                    : null;
            if (reason is null)
            {
                continue;
            }

            task.Fail(attempt.Id, AttemptOutcome.Interrupted, reason, retryable: true, retryAt: now, now);
            Changed(task);
            interrupted++;
        }

        db.SaveChanges();
        return interrupted;
    }
}
