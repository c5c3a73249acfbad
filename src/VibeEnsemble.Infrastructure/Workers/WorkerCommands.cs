using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>A task claimed for a new worker: the attempt it runs and the worker row, written in one commit.</summary>
internal sealed record ClaimedWork(TaskSnapshot Task, Guid AttemptId, WorkerSnapshot Worker);

/// <summary>
/// Claims a ready task for a worker about to be spawned and records the worker, in one transaction: a crash either
/// leaves the task Ready or leaves a Starting worker that start-up recovery interrupts. Null when the task is no
/// longer ready (someone else took it first).
/// </summary>
internal sealed class ClaimForWorkerCommand(
    Guid taskId, Guid agentId, Guid workerId, string profileName, LaunchPlan plan, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<ClaimedWork?>(events, time)
{
    private WorkerSnapshot? _worker;

    protected override ClaimedWork? Run(DateTimeOffset now)
    {
        var db = Db;
        _worker = null;
        var task = Load(db, taskId);
        if (task.Status != AgentTaskStatus.Ready)
        {
            return null;
        }

        var attempt = task.Claim(agentId, workerId, now);
        var row = Worker.Create(workerId, profileName, plan.Executable, plan.Arguments, plan.WorkingDirectory,
            task.Id, attempt.Id, agentId, now);
        db.Workers.Add(row);
        db.SaveChanges();
        _worker = WorkerSnapshot.From(row);
        return new ClaimedWork(Changed(task), attempt.Id, _worker);
    }

    public override void OnCommitted()
    {
        base.OnCommitted();
        if (_worker is { } worker)
        {
            Events.Publish(new WorkerChanged(worker, worker.CreatedAt));
        }
    }
}

/// <summary>Changes one worker row and publishes it.</summary>
internal sealed class ChangeWorkerCommand(Guid workerId, Action<Worker> change, CoordinationEventBus events) : IWriteCommand<WorkerSnapshot>
{
    private WorkerSnapshot? _changed;

    public WorkerSnapshot Execute(WriteContext context)
    {
        var worker = context.Db.Workers.Single(w => w.Id == workerId);
        change(worker);
        context.Db.SaveChanges();
        return _changed = WorkerSnapshot.From(worker);
    }

    public void OnCommitted()
    {
        if (_changed is { } worker)
        {
            events.Publish(new WorkerChanged(worker, worker.ExitedAt ?? worker.StartedAt ?? worker.CreatedAt));
        }
    }
}

/// <summary>
/// Ends a worker and, if its attempt is still the task's current one, settles the attempt by the verdict: completes
/// the task, or fails the attempt (retry at <paramref name="retryAt"/>), parking the profile on a rate limit. A task
/// the session already completed or failed itself (complete_task wins) is left as it is.
/// </summary>
internal sealed class SettleWorkerCommand(
    Guid workerId, WorkerVerdict verdict, WorkerState state, int? exitCode, StreamJsonResult? result, DateTimeOffset retryAt,
    WorktreeOutcome? worktree, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<WorkerSnapshot>(events, time)
{
    private WorkerSnapshot? _worker;

    protected override WorkerSnapshot Run(DateTimeOffset now)
    {
        var db = Db;
        var worker = db.Workers.Single(w => w.Id == workerId);
        var summary = verdict.Succeeded ? "completed" : verdict.Reason;
        var published = false;
        if (worker.TaskId is { } artifactTaskId && worktree is not null)
        {
            Load(db, artifactTaskId).RecordArtifacts(worktree.Branch, worktree.ChangedFiles, now);
            db.SaveChanges();
        }
        if (worker.TaskId is { } taskId && Load(db, taskId) is var task && task.CurrentAttempt?.Id == worker.AttemptId
            && task.CurrentAttempt is { } attempt)
        {
            if (verdict.Succeeded)
            {
                task.Complete(attempt.Id, Bounded(verdict.Result), now);
            }
            else
            {
                task.Fail(attempt.Id, verdict.Outcome, verdict.Reason, verdict.Retryable, verdict.ParkUntil ?? retryAt, now);
            }

            Changed(task);
            published = true;
            db.SaveChanges();
            if (task.Status == AgentTaskStatus.Completed)
            {
                ReleaseDependents(task, now);
            }
        }
        else if (worker.TaskId is not null
            && db.TaskAttempts.AsNoTracking().SingleOrDefault(a => a.Id == worker.AttemptId) is { IsOver: true } own)
        {
            // The session settled its attempt itself (complete_task, fail_task) or someone did for it (cancel_task).
            summary = own.Outcome == AttemptOutcome.Succeeded
                ? "completed: the session called complete_task"
                : $"attempt {own.Outcome.ToString().ToLowerInvariant()}: {own.Reason}";
        }

        if (verdict.ParkUntil is { } until
            && db.WorkerProfiles.SingleOrDefault(p => p.Name == worker.ProfileName) is { } profile)
        {
            profile.Park(until, verdict.Reason, now);
        }

        if (!published && worktree is not null && worker.TaskId is { } withArtifacts)
        {
            // The attempt was settled before (complete_task); its branch and files are news of their own.
            Changed(Load(db, withArtifacts));
        }

        worker.Reported(result?.CostUsd, result?.Turns);
        if (result is { Denials: > 0 } refused)
        {
            // What the session was not allowed to do explains many a failed or half-done attempt.
            summary += $"; {refused.Denials} tool call{(refused.Denials == 1 ? " was" : "s were")} denied ({string.Join(", ", refused.DeniedTools ?? [])})";
        }
        worker.Ended(state, exitCode, worktree is null ? summary : $"{summary}; {worktree.Note}", now);
        db.SaveChanges();
        return _worker = WorkerSnapshot.From(worker);
    }

    public override void OnCommitted()
    {
        base.OnCommitted();
        if (_worker is { } worker)
        {
            Events.Publish(new WorkerChanged(worker, worker.ExitedAt ?? worker.CreatedAt));
        }
    }

    /// <summary>A final text can be megabytes; the task keeps its head with a marker (the whole text is in the worker's output folder).</summary>
    private static string? Bounded(string? result)
    {
        const int keep = AgentTask.ResultMaxLength - 200;
        return result is null || result.Length <= AgentTask.ResultMaxLength ? result
            : string.Concat(result.AsSpan(0, keep), $"\n…[{result.Length - keep} more characters: the whole text is in the worker's output]");
    }
}

/// <summary>The figures of a final result kept on the worker.</summary>
internal sealed record StreamJsonResult(decimal? CostUsd, int? Turns, int Denials = 0, IReadOnlyList<string>? DeniedTools = null);

/// <summary>Appends a batch of output lines of one worker; lines arrive in order, so sequences only grow.</summary>
internal sealed class AppendOutputCommand(IReadOnlyList<WorkerOutputLine> lines) : IWriteCommand<int>
{
    public int Execute(WriteContext context)
    {
        var insert = context.Prepared(
            "INSERT INTO WorkerOutput (WorkerId, Sequence, Stream, Text, At) VALUES ($worker, $sequence, $stream, $text, $at)",
            "$worker", "$sequence", "$stream", "$text", "$at");
        foreach (var line in lines)
        {
            insert.Bind(1, line.WorkerId).Bind(2, line.Sequence).Bind(3, line.Stream.ToString())
                .Bind(4, line.Text).Bind(5, line.At.UtcTicks)
                .Execute();
        }

        return lines.Count;
    }
}

/// <summary>Records why ready tasks wait (only the reasons that changed), so people and models can see it.</summary>
internal sealed class ExplainWaitsCommand(
    IReadOnlyDictionary<Guid, string?> reasons, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<int>(events, time)
{
    protected override int Run(DateTimeOffset now)
    {
        var db = Db;
        var ids = reasons.Keys.ToList();
        var changed = 0;
        foreach (var task in db.Tasks.Include(t => t.Attempts).Include(t => t.Dependencies)
            .Where(t => ids.Contains(t.Id) && t.Status == AgentTaskStatus.Ready).ToList())
        {
            if (task.ExplainWait(reasons[task.Id], now))
            {
                Changed(task);
                changed++;
            }
        }

        db.SaveChanges();
        return changed;
    }
}
