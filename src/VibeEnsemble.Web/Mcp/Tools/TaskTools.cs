using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="TaskService"/>; <c>vibe/task/*</c> is the other one.</summary>
[McpServerToolType]
public sealed class TaskTools(TaskService tasks, AgentService agents, McpSessionTracker sessions)
{
    private const string HeldTaskId = "The task's id (a worker's own by default).";

    [McpServerTool(Name = "create_task", Title = "Create task", OpenWorld = false)]
    [Description("Create a task for an agent with the required capabilities. With dependsOn it waits (Blocked) until "
        + "those tasks complete. Returns the task with its id.")]
    public Task<TaskSnapshot> CreateTaskAsync(
        McpServer server,
        [Description("Short imperative title, at most 200 characters.")] string title,
        [Description("What to do and how to know it is done.")] string? description = null,
        [Description("Capabilities an agent needs for it, e.g. ['rust'].")] string[]? requiredCapabilities = null,
        [Description("Low, Normal (default), High or Critical.")] string? priority = null,
        [Description("Ids of tasks that must complete first.")] string[]? dependsOn = null,
        [Description("Id of the task this one is part of.")] string? parentTaskId = null,
        [Description("Attempts before it fails for good, 1-100 (default 3).")] int? maxAttempts = null,
        [Description("Project name; a spawned worker runs in its directory. Default: the only project, if one.")] string? project = null,
        [Description("Seconds one attempt may run (default: the worker profile's).")] int? timeoutSeconds = null,
        [Description("'shared' (the project directory) or 'worktree' (a git worktree on branch vibe/<id>); default the project's.")] string? isolation = null,
        [Description("Paths or globs it will change; it never runs beside a task whose paths overlap.")] string[]? paths = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.CreateAsync(
            new CreateTaskRequest(title, description, requiredCapabilities, priority,
                dependsOn?.Select(id => TaskIds.Parse(id, "dependsOn")).ToList(),
                parentTaskId is null ? null : TaskIds.Parse(parentTaskId, "parentTaskId"), maxAttempts, project, timeoutSeconds, isolation, paths),
            agents.OptionalCaller(sessions.Describe(server)), cancellationToken));

    [McpServerTool(Name = "update_task", Title = "Update task", OpenWorld = false)]
    [Description("Change a task no attempt is working on. Omitted fields stay; dependsOn replaces the list and must "
        + "not close a cycle.")]
    public Task<TaskSnapshot> UpdateTaskAsync(
        [Description("The task's id.")] string taskId,
        [Description("New title.")] string? title = null,
        [Description("New description.")] string? description = null,
        [Description("New required capabilities.")] string[]? requiredCapabilities = null,
        [Description("Low, Normal, High or Critical.")] string? priority = null,
        [Description("Ids of the tasks it waits for; [] for none.")] string[]? dependsOn = null,
        [Description("Attempts before it fails for good.")] int? maxAttempts = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.UpdateAsync(TaskIds.Parse(taskId),
            new UpdateTaskRequest(title, description, requiredCapabilities, priority,
                dependsOn?.Select(id => TaskIds.Parse(id, "dependsOn")).ToList(), maxAttempts),
            cancellationToken));

    [McpServerTool(Name = "get_task", Title = "Get task", ReadOnly = true, OpenWorld = false)]
    [Description("A task with its status, why it waits, its result and every attempt.")]
    public Task<TaskDetails> GetTaskAsync(
        [Description("The task's id.")] string taskId,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.GetAsync(TaskIds.Parse(taskId), cancellationToken));

    [McpServerTool(Name = "list_tasks", Title = "List tasks", ReadOnly = true, OpenWorld = false)]
    [Description("Tasks, newest first.")]
    public Task<IReadOnlyList<TaskSnapshot>> ListTasksAsync(
        [Description("Only this status: Blocked, Ready, Assigned, Running, WaitingForRetry, Completed, Failed or Cancelled.")]
        string? status = null,
        [Description("At most this many, 1-500 (default 100).")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.ListAsync(TaskIds.ParseStatus(status), limit, cancellationToken));

    [McpServerTool(Name = "get_next_task", Title = "Get next task", OpenWorld = false)]
    [Description("Take the most urgent ready task this agent's capabilities cover; it is yours until you call "
        + "complete_task or fail_task. When there is none, task is null and message says why. Call register_agent first.")]
    public Task<NextTaskResult> GetNextTaskAsync(
        McpServer server,
        [Description("Wait up to this many seconds (0-55) for a task to become ready.")] int? waitSeconds = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.ClaimNextAsync(agents.RequireCaller(sessions.Describe(server)), cancellationToken,
            waitSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null));

    [McpServerTool(Name = "update_task_progress", Title = "Report progress", OpenWorld = false)]
    [Description("Say how far you are with a task you hold.")]
    public Task<TaskSnapshot> UpdateTaskProgressAsync(
        McpServer server,
        [Description("One line, at most 2,000 characters.")] string progress,
        [Description(HeldTaskId)] string? taskId = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.ReportProgressAsync(
            TaskFor(server, taskId), agents.RequireCaller(sessions.Describe(server)), progress, cancellationToken));

    [McpServerTool(Name = "complete_task", Title = "Complete task", OpenWorld = false)]
    [Description("Finish a task you hold with its result; tasks waiting for it may start.")]
    public Task<TaskSnapshot> CompleteTaskAsync(
        McpServer server,
        [Description("What was done: summary, files changed, anything the next task needs.")] string? result = null,
        [Description(HeldTaskId)] string? taskId = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.CompleteAsync(
            TaskFor(server, taskId), agents.RequireCaller(sessions.Describe(server)), result, cancellationToken));

    [McpServerTool(Name = "fail_task", Title = "Fail task", OpenWorld = false)]
    [Description("Give up on a task you hold; retried later if retryable and attempts are left.")]
    public Task<TaskSnapshot> FailTaskAsync(
        McpServer server,
        [Description("Why, so a person or the next attempt can act on it.")] string reason,
        [Description("False when trying again cannot help (default true).")] bool retryable = true,
        [Description(HeldTaskId)] string? taskId = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.FailAsync(
            TaskFor(server, taskId), agents.RequireCaller(sessions.Describe(server)), reason, retryable, cancellationToken));

    [McpServerTool(Name = "cancel_task", Title = "Cancel task", Destructive = true, OpenWorld = false)]
    [Description("Cancel a task that has not finished; a running attempt ends as cancelled.")]
    public Task<TaskSnapshot> CancelTaskAsync(
        [Description("The task's id.")] string taskId,
        [Description("Why, shown on the task.")] string? reason = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.CancelAsync(TaskIds.Parse(taskId), reason, cancellationToken));

    [McpServerTool(Name = "retry_task", Title = "Retry task", OpenWorld = false)]
    [Description("Put a Failed, Cancelled or WaitingForRetry task back in the queue now.")]
    public Task<TaskSnapshot> RetryTaskAsync(
        [Description("The task's id.")] string taskId,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => tasks.RetryAsync(TaskIds.Parse(taskId), cancellationToken));

    /// <summary>The task named, or the one a spawned worker's session was started for.</summary>
    private Guid TaskFor(McpServer server, string? taskId) =>
        string.IsNullOrWhiteSpace(taskId) && sessions.BoundTask(server) is { } bound ? bound : TaskIds.Parse(taskId);
}
