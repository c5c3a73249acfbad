using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of workers, their profiles and projects; <c>vibe/worker/*</c>, <c>vibe/profile/*</c> and <c>vibe/project/*</c> are the other.</summary>
[McpServerToolType]
public sealed class WorkerTools(WorkerService workers, ProfileService profiles, ProjectService projects)
{
    [McpServerTool(Name = "list_workers", Title = "List workers", ReadOnly = true, OpenWorld = false)]
    [Description("Spawned Claude Code workers, newest first: task, state, process, exit, cost, and whether it has stalled.")]
    public Task<IReadOnlyList<WorkerSnapshot>> ListWorkersAsync(
        [Description("Only those still running (default false).")] bool runningOnly = false,
        [Description("At most this many, 1-500 (default 50).")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => workers.ListAsync(runningOnly, limit, cancellationToken));

    [McpServerTool(Name = "get_worker_output", Title = "Worker output", ReadOnly = true, OpenWorld = false)]
    [Description("A worker's output as parsed events (init, text, tool use, tool result, result, stderr), oldest first.")]
    public Task<IReadOnlyList<WorkerOutputSnapshot>> GetWorkerOutputAsync(
        [Description("The worker's id.")] string workerId,
        [Description("Only lines after this sequence number (default 0).")] long afterSequence = 0,
        [Description("At most this many lines, 1-1000 (default 200).")] int? limit = null,
        [Description("The last lines instead of the first (default false).")] bool tail = false,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => workers.OutputAsync(WorkerIds.Parse(workerId), afterSequence, limit, tail, cancellationToken));

    [McpServerTool(Name = "stop_worker", Title = "Stop worker", Destructive = true, OpenWorld = false)]
    [Description("Stop a running worker and everything it started. Its task fails; retry_task queues it again.")]
    public Task<WorkerSnapshot> StopWorkerAsync(
        [Description("The worker's id.")] string workerId,
        [Description("Why, shown on the task.")] string? reason = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => workers.StopAsync(WorkerIds.Parse(workerId), reason, cancellationToken));

    [McpServerTool(Name = "list_profiles", Title = "List worker profiles", ReadOnly = true, OpenWorld = false)]
    [Description("Worker profiles: what each covers and how its workers run. A task goes to the tightest profile covering its capabilities; '*' covers all.")]
    public Task<IReadOnlyList<ProfileSnapshot>> ListProfilesAsync(CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => profiles.ListAsync(cancellationToken));

    [McpServerTool(Name = "upsert_profile", Title = "Create or change a worker profile", Idempotent = true, OpenWorld = false)]
    [Description("Create a worker profile, or replace the one with this name. Omitted settings take their defaults.")]
    public Task<ProfileSnapshot> UpsertProfileAsync(
        [Description("Unique name.")] string name,
        [Description("Capabilities its workers cover, e.g. ['rust']; '*' for any.")] string[]? capabilities = null,
        [Description("Appended to the worker's system prompt.")] string? systemPrompt = null,
        [Description("Model, e.g. 'sonnet'; default Claude Code's.")] string? model = null,
        [Description("default, acceptEdits (default), auto, bypassPermissions, dontAsk or plan.")] string? permissionMode = null,
        [Description("Claude Code tool rules to allow, e.g. ['Bash(npm test:*)'].")] string[]? allowedTools = null,
        [Description("Tool rules to refuse.")] string[]? disallowedTools = null,
        [Description("Workers of this profile at once, 1-64 (default 4).")] int maxConcurrentWorkers = 4,
        [Description("Seconds one attempt may run (default 1800).")] int timeoutSeconds = 1800,
        [Description("Spending cap per attempt in USD.")] decimal? maxBudgetUsd = null,
        [Description("Attempts per task (default 3).")] int maxAttempts = 3,
        [Description("First retry delay in seconds, doubled each time (default 5).")] int retryBaseDelaySeconds = 5,
        [Description("Longest retry delay in seconds (default 300).")] int retryMaxDelaySeconds = 300,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => profiles.UpsertAsync(name, new WorkerProfileSettings(
            capabilities, systemPrompt, model, permissionMode ?? "acceptEdits", allowedTools, disallowedTools, maxConcurrentWorkers,
            timeoutSeconds, maxBudgetUsd, maxAttempts, retryBaseDelaySeconds, retryMaxDelaySeconds), cancellationToken));

    [McpServerTool(Name = "list_projects", Title = "List projects", ReadOnly = true, OpenWorld = false)]
    [Description("Projects: name, directory workers run in, rules given to every worker, worker limit.")]
    public Task<IReadOnlyList<ProjectSnapshot>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => projects.ListAsync(cancellationToken));

    [McpServerTool(Name = "upsert_project", Title = "Create or change a project", Idempotent = true, OpenWorld = false)]
    [Description("Create a project, or replace the one with this name. Tasks name it with 'project'.")]
    public Task<ProjectSnapshot> UpsertProjectAsync(
        [Description("Unique name.")] string name,
        [Description("Absolute path of an existing directory.")] string workingDirectory,
        [Description("What the project is.")] string? description = null,
        [Description("Rules put into every worker prompt.")] string? rules = null,
        [Description("Workers at once in this project, 1-64 (default 4).")] int? maxConcurrentWorkers = null,
        [Description("Where its tasks run by default: 'shared' (default) or 'worktree' (needs a git repository).")] string? defaultIsolation = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => projects.UpsertAsync(
            new UpsertProjectRequest(name, workingDirectory, description, rules, maxConcurrentWorkers, defaultIsolation), cancellationToken));

}
