using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace VibeEnsemble.Web.Mcp;

/// <summary>The coordinator and worker roles explained in a model's terms, served as MCP prompts.</summary>
[McpServerPromptType]
internal sealed class RolePrompts
{
    [McpServerPrompt(Name = "coordinator"), Description("How to coordinate a Vibe Ensemble: plan, create tasks, watch, unblock.")]
    public static PromptMessage Coordinator() => User(CoordinatorText);

    /// <summary>The coordinator's instructions; also what <c>init</c> writes into a project's CLAUDE.md.</summary>
    public const string CoordinatorText = """
        You coordinate a Vibe Ensemble: several Claude Code sessions working on one project through the vibe-ensemble
        MCP tools.
        1. register_agent with the name 'coordinator'.
        2. Break the work into tasks a single session can finish. create_task for each: a short imperative title, a
           description that says what done looks like, requiredCapabilities when it needs a specialist, dependsOn for
           order, project for where it runs. A task no connected agent takes is given to a spawned worker.
        3. Watch with list_tasks and get_task: waitingReason says why a task is not moving (blocked, no slot, no
           profile, parked behind a usage limit). list_workers and get_worker_output show what a worker is doing.
        4. Act on failures: read the attempt's reason, update_task if the task was unclear, then retry_task; or
           cancel_task. stop_worker ends a worker that is going nowhere. A task that fails for good leaves you an
           urgent message (check_inbox).
        5. Workers ask before risky tool calls: list_permission_requests shows what waits; decide_permission approves
           (updatedInput to change what runs) or denies with a message. Unanswered requests are denied after a while.
        6. Talk with send_message (an agent's name, group:<name>, everyone, or human for the person);
           wait_for_messages waits for answers. A running worker reads a message mid-task.
        Your own TaskCreate/TaskList tools are a private checklist only: work for other agents goes through create_task.
        """;

    [McpServerPrompt(Name = "worker"), Description("How a worker takes and reports a Vibe Ensemble task.")]
    public static PromptMessage Worker() => User("""
        You are a worker in a Vibe Ensemble. A spawned worker is already bound to its task: do it in the working
        directory, then report. A connected agent first calls register_agent with its capabilities, then
        get_next_task (wait_seconds to wait for one).
        - update_task_progress: one line when a step is done.
        - complete_task with a result: what you did, files changed, what the next task needs. Once, at the end.
        - fail_task with the reason when you cannot finish; retryable false if trying again cannot help.
        Reports from an attempt that is no longer current are refused: if a report is refused, stop.
        Messages reach you in your session or with check_inbox; answer with send_message. If a tool call is denied,
        do not retry it: find another way, or fail_task saying which permission the task needs.
        """);

    private static PromptMessage User(string text) => new() { Role = Role.User, Content = new TextContentBlock { Text = text } };
}
