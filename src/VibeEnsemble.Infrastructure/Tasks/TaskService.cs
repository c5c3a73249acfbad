using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Projects;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// The one implementation of task operations; MCP tools and <c>vibe/task/*</c> are adapters over it. Changes go
/// through the writer; the state rules are <see cref="AgentTask"/>'s. Reports (progress, result, failure) are taken
/// only from the agent holding the task's current attempt, and are refused from any other.
/// </summary>
public sealed partial class TaskService(
    IDurableWriter writer,
    IPresenceRegistry presence,
    IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    IOptions<StorageOptions> storage,
    CoordinationEventBus events,
    ProjectService projects,
    WorkSeekers seekers,
    Knowledge.KnowledgeService knowledge,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<TaskService> logger)
{
    public const int MaxListed = 500;

    /// <summary>Knowledge entries shown with a task (and put into its worker's first turn).</summary>
    public const int SuggestedKnowledge = 3;

    public async Task<TaskSnapshot> CreateAsync(CreateTaskRequest request, AgentSnapshot? creator, CancellationToken cancellationToken)
    {
        var dependsOn = request.DependsOn ?? [];
        if (dependsOn.Count > CreateTaskRequest.MaxDependencies)
        {
            throw new DomainException($"'dependsOn' lists {dependsOn.Count} tasks; at most {CreateTaskRequest.MaxDependencies} are allowed.");
        }

        if (request.TimeoutSeconds is < 1 or > 86_400)
        {
            throw new DomainException("'timeoutSeconds' must be between 1 and 86400.");
        }

        var isolation = ProjectService.ParseIsolation(request.Isolation);
        var project = await projects.ResolveAsync(request.Project, cancellationToken);
        if ((isolation ?? project?.DefaultIsolation) == TaskIsolation.Worktree)
        {
            await RequireGitAsync(project, cancellationToken);
        }

        if (request.Paths?.Count > AgentTask.MaxPaths)
        {
            throw new DomainException($"'paths' lists {request.Paths.Count} entries; at most {AgentTask.MaxPaths} are allowed.");
        }

        var paths = request.Paths?.Select(p => Conflicts.ReservationPaths.Normalize(p ?? "", project?.WorkingDirectory)).Distinct(StringComparer.Ordinal).ToList();
        var task = AgentTask.Create(request.Title, request.Description, request.RequiredCapabilities, request.ParsePriority(),
            creator?.Id, time.GetUtcNow(), request.MaxAttempts ?? AgentTask.DefaultMaxAttempts, request.ParentTaskId,
            project?.Id, request.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, isolation, paths);
        var created = await writer.ExecuteAsync(new CreateTaskCommand(task, [.. dependsOn.Distinct()], events, time), cancellationToken);
        LogCreated(logger, created.Title, created.Id, created.Status);
        return created;
    }

    /// <summary>Worktree isolation needs the project to be a git repository; said at creation, not when a worker starts.</summary>
    private static async Task RequireGitAsync(ProjectSnapshot? project, CancellationToken cancellationToken)
    {
        if (project is null)
        {
            throw new DomainException("'isolation' worktree needs a project (a git repository); name one with 'project'.");
        }

        if (!await Workers.GitWorktrees.IsRepositoryAsync(project.WorkingDirectory, cancellationToken))
        {
            throw new DomainException(
                $"Project '{project.Name}' ({project.WorkingDirectory}) is not a git repository, so a task in it cannot use worktree isolation; run 'git init' there or use isolation 'shared'.");
        }
    }

    /// <summary>Changes a task that no attempt is working on; new dependencies must not close a cycle.</summary>
    public Task<TaskSnapshot> UpdateAsync(Guid taskId, UpdateTaskRequest request, CancellationToken cancellationToken)
    {
        if (request.DependsOn?.Count > CreateTaskRequest.MaxDependencies)
        {
            throw new DomainException($"'dependsOn' lists {request.DependsOn.Count} tasks; at most {CreateTaskRequest.MaxDependencies} are allowed.");
        }

        return writer.ExecuteAsync(new UpdateTaskCommand(taskId, request, events, time), cancellationToken);
    }

    public async Task<TaskDetails> GetAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().Include(t => t.Attempts).Include(t => t.Dependencies)
            .SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken)
            ?? throw new EntityNotFoundException("Task", taskId.ToString());
        var children = await db.Tasks.AsNoTracking().Where(t => t.ParentTaskId == taskId).OrderBy(t => t.CreatedAt)
            .Select(t => new TaskBrief(t.Id, t.Title, t.Status, t.Result)).Take(MaxListed).ToListAsync(cancellationToken);
        var dependencyIds = task.Dependencies.Select(d => d.DependsOnTaskId).ToList();
        var waitsFor = dependencyIds.Count == 0 ? [] : await db.Tasks.AsNoTracking().Where(t => dependencyIds.Contains(t.Id))
            .Select(t => new TaskBrief(t.Id, t.Title, t.Status, t.Result)).ToListAsync(cancellationToken);
        // Stored as text by SQLite, so summed here rather than in SQL.
        var costs = await db.Workers.AsNoTracking().Where(w => w.TaskId == taskId && w.CostUsd != null).Select(w => w.CostUsd!.Value).ToListAsync(cancellationToken);
        var suggested = await knowledge.SuggestAsync(task.Title, task.Description, task.ProjectId, SuggestedKnowledge, cancellationToken);
        return new TaskDetails(TaskSnapshot.From(task), [.. task.Attempts.OrderBy(a => a.Number).Select(AttemptSnapshot.From)], children, waitsFor,
            costs.Count == 0 ? null : costs.Sum(), suggested);
    }

    /// <summary>The newest tasks first, optionally only those in one status.</summary>
    public async Task<IReadOnlyList<TaskSnapshot>> ListAsync(AgentTaskStatus? status, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxListed)
        {
            throw new DomainException($"'limit' must be between 1 and {MaxListed}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Tasks.AsNoTracking().Include(t => t.Attempts).Include(t => t.Dependencies).AsQueryable();
        if (status is { } wanted)
        {
            query = query.Where(t => t.Status == wanted);
        }

        var tasks = await query.OrderByDescending(t => t.CreatedAt).Take(take).AsSplitQuery().ToListAsync(cancellationToken);
        return [.. tasks.Select(TaskSnapshot.From)];
    }

    /// <summary>
    /// Gives <paramref name="agent"/> the most urgent ready task it can do. With a <paramref name="wait"/> it waits
    /// that long (at most <see cref="TaskOptions.MaxWait"/>) for one to become ready; otherwise, or when none did,
    /// it says why there is none.
    /// </summary>
    public async Task<NextTaskResult> ClaimNextAsync(AgentSnapshot agent, CancellationToken cancellationToken, TimeSpan? wait = null)
    {
        if (wait is { } asked && (asked < TimeSpan.Zero || asked > TaskOptions.MaxWait))
        {
            throw new DomainException($"'waitSeconds' must be between 0 and {TaskOptions.MaxWait.TotalSeconds:0}.");
        }

        seekers.Asked(agent.Id);
        // Subscribed before the first try, so a task that becomes ready in between is not missed.
        using var readiness = wait > TimeSpan.Zero ? events.Subscribe(EventKinds.TaskUpdated) : null;
        using var timer = new CancellationTokenSource(wait is { } timeout && timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);

        var task = await TryClaimAsync(agent, cancellationToken);
        while (task is null && readiness is not null && await NextReadyAsync(readiness, agent, deadline.Token))
        {
            task = await TryClaimAsync(agent, cancellationToken);
        }

        return new NextTaskResult(task, task is not null ? null
            : agent.Capabilities.Count == 0
                ? "No ready task needs no capabilities. Register with your capabilities to be offered more; ask again later."
                : $"No ready task needs only capabilities you have ({string.Join(", ", agent.Capabilities)}). Ask again later.");
    }

    /// <summary>Hands on tasks held by agents gone for longer than the lease; the sweep runs this every second.</summary>
    public async Task<int> InterruptAbandonedAsync(CancellationToken cancellationToken)
    {
        if (!await TaskSweepProbe.AnyHeldByAgentAsync(storage.Value.DatabasePath, cancellationToken))
        {
            return 0;
        }

        var offline = presence.List(AgentStatus.Offline).ToDictionary(a => a.Id, a => (a.Name, a.LastSeenAt));
        return await writer.ExecuteAsync(new InterruptAbandonedCommand(offline, options.Value.AgentLease, events, time), cancellationToken);
    }

    /// <summary>Offers a ready task to a connected agent that takes pushed work (the scheduler's choice).</summary>
    internal Task<TaskSnapshot?> AssignAsync(Guid taskId, Guid agentId, string connectionId, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new AssignTaskCommand(taskId, agentId, connectionId, options.Value.AgentLease, events, time), cancellationToken);

    /// <summary>The agent a task was pushed to starts it, within its lease.</summary>
    public Task<TaskSnapshot> StartAsync(Guid taskId, AgentSnapshot agent, CancellationToken cancellationToken) =>
        ChangeAsync(taskId, (task, now) => task.Start(OwnAttempt(task, agent), now), cancellationToken);

    public Task<TaskSnapshot> ReportProgressAsync(Guid taskId, AgentSnapshot agent, string note, CancellationToken cancellationToken) =>
        ChangeAsync(taskId, (task, now) => task.ReportProgress(OwnAttempt(task, agent), note, now), cancellationToken);

    /// <summary>
    /// Notes on the task what happened to attempt <paramref name="attemptId"/> (a permission refused for want of an
    /// answer), so people and the coordinator see it; nothing when that attempt is no longer the task's current one.
    /// </summary>
    internal async Task NoteAsync(Guid taskId, Guid attemptId, string note, CancellationToken cancellationToken)
    {
        try
        {
            await ChangeAsync(taskId, (task, now) => task.ReportProgress(attemptId, note, now), cancellationToken);
        }
        catch (Exception ex) when (ex is StaleAttemptException or DomainException)
        {
            // The attempt already ended: the note would describe a past attempt as the current one.
        }
    }

    public async Task<TaskSnapshot> CompleteAsync(Guid taskId, AgentSnapshot agent, string? result, CancellationToken cancellationToken)
    {
        var completed = await ChangeAsync(taskId, (task, now) => task.Complete(OwnAttempt(task, agent), result, now), cancellationToken);
        LogCompleted(logger, completed.Title, completed.Id, agent.Name);
        return completed;
    }

    /// <summary>
    /// Ends the agent's attempt as failed. A retryable failure with attempts left is tried again after an
    /// exponential backoff with full jitter; anything else fails the task.
    /// </summary>
    public async Task<TaskSnapshot> FailAsync(
        Guid taskId, AgentSnapshot agent, string reason, bool retryable, CancellationToken cancellationToken)
    {
        var failed = await ChangeAsync(taskId, (task, now) =>
        {
            var attempt = OwnAttempt(task, agent);
            var backoff = options.Value.Backoff(task.Attempts.Count + 1);
            var retryAt = now + (backoff * Random.Shared.NextDouble());
            task.Fail(attempt, AttemptOutcome.Failed, reason, retryable, retryAt, now);
        }, cancellationToken);
        LogFailed(logger, failed.Title, failed.Id, agent.Name, failed.Status);
        return failed;
    }

    public Task<TaskSnapshot> CancelAsync(Guid taskId, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(taskId, (task, now) => task.Cancel(reason, now), cancellationToken);

    /// <summary>Puts a failed, cancelled or waiting task back in the queue now.</summary>
    public Task<TaskSnapshot> RetryAsync(Guid taskId, CancellationToken cancellationToken) =>
        ChangeAsync(taskId, (task, now) => task.RetryNow(now), cancellationToken);

    /// <summary>Makes ready every task whose retry time has come; the sweep runs this every second.</summary>
    public async Task<int> ReleaseDueRetriesAsync(CancellationToken cancellationToken) =>
        await TaskSweepProbe.AnyDueRetryAsync(storage.Value.DatabasePath, time.GetUtcNow(), cancellationToken)
            ? await writer.ExecuteAsync(new ReleaseDueRetriesCommand(events, time), cancellationToken)
            : 0;

    private Task<TaskSnapshot?> TryClaimAsync(AgentSnapshot agent, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new ClaimNextTaskCommand(agent.Id, agent.Capabilities, events, time), cancellationToken);

    /// <summary>Waits for a task this agent could take to become ready; false when the wait is over.</summary>
    private static async Task<bool> NextReadyAsync(EventSubscription readiness, AgentSnapshot agent, CancellationToken deadline)
    {
        var has = new HashSet<string>(agent.Capabilities, StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var change in readiness.ReadAllAsync(deadline))
            {
                if (change is TaskChanged { Task: { Status: AgentTaskStatus.Ready } ready } && ready.RequiredCapabilities.All(has.Contains))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        return false;
    }

    private Task<TaskSnapshot> ChangeAsync(Guid taskId, Action<AgentTask, DateTimeOffset> change, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new ChangeTaskCommand(taskId, change, events, time), cancellationToken);

    /// <summary>The current attempt, if <paramref name="agent"/> holds it; a report from anyone else is refused.</summary>
    private static Guid OwnAttempt(AgentTask task, AgentSnapshot agent)
    {
        var current = task.CurrentAttempt;
        if (current is null || current.AgentId != agent.Id)
        {
            throw new DomainException(current is null
                ? $"Task '{task.Title}' is {task.Status}; no attempt is under way, so there is nothing to report on."
                : $"Task '{task.Title}' is being worked on by another agent (attempt {current.Number}); '{agent.Name}' cannot report on it.");
        }

        return current.Id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task '{Title}' ({TaskId}) created, {Status}.")]
    private static partial void LogCreated(ILogger logger, string title, Guid taskId, AgentTaskStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task '{Title}' ({TaskId}) completed by {AgentName}.")]
    private static partial void LogCompleted(ILogger logger, string title, Guid taskId, string agentName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task '{Title}' ({TaskId}) failed for {AgentName}; now {Status}.")]
    private static partial void LogFailed(ILogger logger, string title, Guid taskId, string agentName, AgentTaskStatus status);
}
