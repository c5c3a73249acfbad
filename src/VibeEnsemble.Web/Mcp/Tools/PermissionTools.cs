using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="PermissionBroker"/>; <c>vibe/permission/*</c> and <c>/api/permissions</c> are the others.</summary>
[McpServerToolType]
public sealed class PermissionTools(PermissionBroker broker, PermissionCallers callers, AgentService agents, McpSessionTracker sessions)
{
    /// <summary>
    /// Claude Code's permission prompt (<c>--permission-prompt-tool</c>): called with the tool call it needs a
    /// decision on; the text answer is the JSON Claude Code reads. The parameter names are Claude Code's.
    /// </summary>
    [McpServerTool(Name = "approve_permission", Title = "Permission prompt", OpenWorld = false)]
    [Description("Claude Code's permission prompt: decides a tool call by the ensemble's policy. Not for direct use.")]
    public async Task<string> ApprovePermissionAsync(
        McpServer server,
#pragma warning disable CA1707 // Claude Code sends snake_case names.
        [Description("The tool to run.")] string tool_name,
        [Description("Its input.")] JsonElement input,
        [Description("Claude Code's id of the call.")] string? tool_use_id = null,
#pragma warning restore CA1707
        CancellationToken cancellationToken = default)
    {
        _ = tool_use_id;
        var verdict = await ToolErrors.ExplainAsync(async () =>
        {
            var connection = sessions.Describe(server);
            var caller = await callers.ForAsync(sessions.BoundWorker(server), agents.OptionalCaller(connection), cancellationToken);
            return await broker.RequestAsync(caller, tool_name, input, cancellationToken);
        });
        return verdict.Allowed
            ? JsonSerializer.Serialize(new { behavior = "allow", updatedInput = verdict.Input })
            : JsonSerializer.Serialize(new { behavior = "deny", message = verdict.Message });
    }

    [McpServerTool(Name = "list_permission_requests", Title = "List permission requests", ReadOnly = true, OpenWorld = false)]
    [Description("Workers' tool calls waiting for a decision (default), or past decisions: tool, input, matched rule, task.")]
    public Task<IReadOnlyList<PermissionRequestSnapshot>> ListPermissionRequestsAsync(
        [Description("Pending (default), Approved, Denied or Expired.")] string? state = null,
        [Description("Only this task's.")] string? taskId = null,
        [Description("At most this many, 1-500 (default 50).")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => broker.ListAsync(
            PermissionIds.ParseState(state) ?? Domain.Permissions.PermissionState.Pending,
            taskId is null ? null : TaskIds.Parse(taskId), limit, cancellationToken));

    [McpServerTool(Name = "decide_permission", Title = "Decide a permission request", OpenWorld = false)]
    [Description("Approve or deny a pending request; the worker's call proceeds or is refused. The first decision wins.")]
    public Task<PermissionRequestSnapshot> DecidePermissionAsync(
        McpServer server,
        [Description("The request's id.")] string requestId,
        [Description("True to approve, false to deny.")] bool approve,
        [Description("Told to the worker with a denial.")] string? message = null,
        [Description("Tool input to run instead (approval only).")] JsonElement? updatedInput = null,
        [Description("Also store a rule so this exact call is not asked again.")] bool remember = false,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() =>
        {
            var connection = sessions.Describe(server);
            var decidedBy = agents.OptionalCaller(connection)?.Name ?? $"coordinator ({server.ClientInfo?.Name ?? "MCP client"})";
            return broker.DecideAsync(PermissionIds.Parse(requestId), new PermissionDecision(approve, message, updatedInput, remember), decidedBy, cancellationToken);
        });
}
