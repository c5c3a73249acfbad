using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Projects;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// Starts one worker for one ready task: its agent record, its MCP config (with the secret that identifies it), the
/// claim of the task and the worker row, then the process. A worker that cannot start still settles its attempt
/// with the reason, so a missing executable shows on the task instead of looping.
/// </summary>
internal sealed partial class WorkerSpawner(
    IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    IDurableWriter writer,
    CoordinationEventBus events,
    AgentService agents,
    WorkerRegistry registry,
    Knowledge.KnowledgeService knowledge,
    Conflicts.ReservationService reservations,
    Conflicts.ConflictService conflicts,
    IOptions<WorkerOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<WorkerSpawner> logger)
{
    /// <summary>Knowledge entries put into a worker's first turn.</summary>
    private const int SuggestedKnowledge = Tasks.TaskService.SuggestedKnowledge;

    public async Task SpawnAsync(Guid taskId, WorkerProfile profile, Project project, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        AgentTask task;
        List<(string Title, string? Result)> dependencies;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            task = await db.Tasks.AsNoTracking().Include(t => t.Dependencies).SingleAsync(t => t.Id == taskId, cancellationToken);
            var ids = task.Dependencies.Select(d => d.DependsOnTaskId).ToList();
            dependencies = [.. (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id))
                .Select(t => new { t.Title, t.Result, t.CreatedAt }).ToListAsync(cancellationToken))
                .OrderBy(t => t.CreatedAt).Select(t => (t.Title, t.Result))];
        }

        var workerId = Guid.CreateVersion7(now);
        var token = WorkerRegistry.NewToken();
        var connectionId = $"worker:{workerId:N}";
        var configDirectory = Path.Combine(storage.Value.DataDirectory, "workers", workerId.ToString("N"));
        var mcpConfig = Path.Combine(configDirectory, "mcp.json");
        SecretFile.Write(mcpConfig, LaunchPlan.McpConfig(settings.McpUrl ?? "", token, settings.McpAccessToken?.Invoke()));

        string? startFailure = null;
        string executable;
        try
        {
            executable = LaunchPlan.ResolveExecutable(settings.ClaudePath);
        }
        catch (WorkerStartException ex)
        {
            startFailure = ex.Message;
            executable = settings.ClaudePath;
        }

        if (!Directory.Exists(project.WorkingDirectory))
        {
            startFailure ??= $"the project directory '{project.WorkingDirectory}' does not exist";
        }

        // A worktree task runs in a worktree of its own, created once the claim is ours (below).
        var worktree = (task.Isolation ?? project.DefaultIsolation) == TaskIsolation.Worktree
            ? Path.Combine(storage.Value.DataDirectory, "worktrees", workerId.ToString("N"))
            : null;
        var plan = LaunchPlan.Build(settings, profile, executable, worktree ?? project.WorkingDirectory, mcpConfig, WorkerPrompt.For(task, project, dependencies,
            await knowledge.SuggestAsync(task.Title, task.Description, task.ProjectId, SuggestedKnowledge, cancellationToken)));
        var capabilities = profile.Capabilities.Where(c => c != WorkerProfile.AnyCapability).Concat(task.RequiredCapabilities).ToList();
        var agent = await agents.RegisterAsync(
            new RegisterAgentCommand($"{profile.Name}-{workerId.ToString("N")[^8..]}", capabilities, ["worker"]),
            new AgentConnection(connectionId, "worker", "claude-code"), cancellationToken);

        ClaimedWork? claimed = null;
        try
        {
            claimed = await writer.ExecuteAsync(new ClaimForWorkerCommand(task.Id, agent.Id, workerId, profile.Name, plan, events, time), cancellationToken);
        }
        finally
        {
            // Taken by someone else, or the claim failed: the agent and config made for this worker go again.
            if (claimed is null)
            {
                await agents.DisconnectAsync(connectionId, CancellationToken.None);
                Directory.Delete(configDirectory, recursive: true);
            }
        }

        if (claimed is null)
        {
            return;
        }

        await ReserveTaskPathsAsync(task, project, agent, (task.Timeout ?? profile.Timeout) + TimeSpan.FromMinutes(5), cancellationToken);
        WorktreeLease? lease = null;
        if (worktree is not null && startFailure is null)
        {
            var branch = GitWorktrees.BranchFor(task.Id);
            try
            {
                var baseCommit = await GitWorktrees.AddAsync(project.WorkingDirectory, worktree, branch, cancellationToken);
                lease = new WorktreeLease(project.WorkingDirectory, worktree, branch, baseCommit, $"vibe: {task.Title} (attempt {claimed.Task.AttemptsUsed})");
            }
            catch (WorkerStartException ex)
            {
                startFailure = $"could not create the worktree: {ex.Message}";
            }
        }

        var timeout = task.Timeout ?? profile.Timeout;
        var baseDelay = profile.RetryBaseDelay;
        var maxDelay = profile.RetryMaxDelay;
        var run = new WorkerRun(
            new WorkerRunServices(writer, events, agents, registry, settings, time, logger, WorkerOutput.FolderIn(storage.Value.DataDirectory), reservations),
            workerId, token, connectionId, task.Id, claimed.AttemptId, claimed.Task.AttemptsUsed, profile.Name, project.Id,
            plan, configDirectory, lease, timeout,
            next => TimeSpan.FromMilliseconds(Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, next - 2))))) { AgentId = agent.Id };
        registry.Add(run);
        if (lease is null && startFailure is null)
        {
            // In the project's own directory: what is already changed there is not this worker's doing (the scan).
            // Noted once it is registered (a scan drops the notes of workers not running) and before it starts.
            await conflicts.NoteSharedStartAsync(workerId, project.WorkingDirectory, cancellationToken);
        }

        LogSpawning(logger, workerId, task.Title, task.Id, profile.Name, claimed.Task.AttemptsUsed);
        run.Start(startFailure);
    }

    /// <summary>
    /// Reserves the paths the task declared for the worker, exclusively, for its time plus a margin (released when it
    /// exits). Another agent's reservation in the way does not stop the worker: it is logged, and check_conflicts shows it.
    /// </summary>
    private async Task ReserveTaskPathsAsync(AgentTask task, Project project, AgentSnapshot agent, TimeSpan forAtMost, CancellationToken cancellationToken)
    {
        if (task.Paths.Count == 0)
        {
            return;
        }

        var ttl = (int)Math.Min(forAtMost.TotalSeconds, Domain.Conflicts.FileClaim.MaximumTimeToLive.TotalSeconds);
        var result = await reservations.ReserveAsync(
            new Conflicts.ReserveFilesRequest(task.Paths, true, $"task '{task.Title}'", task.Id.ToString(), project.Name, ttl), agent, cancellationToken);
        if (!result.Granted)
        {
            LogPathsHeld(logger, task.Id, string.Join(", ", result.Overlaps.Select(o => $"{o.Path} ({o.HeldBy.Agent})")));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: its paths could not be reserved for the worker; held by others: {Overlaps}.")]
    private static partial void LogPathsHeld(ILogger logger, Guid taskId, string overlaps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spawning worker {WorkerId} for task '{Title}' ({TaskId}) with profile {Profile}, attempt {Attempt}.")]
    private static partial void LogSpawning(ILogger logger, Guid workerId, string title, Guid taskId, string profile, int attempt);
}
