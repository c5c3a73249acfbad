using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Issues;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="IssueService"/>; <c>vibe/issue/*</c> and <c>/api/issues</c> are the others.</summary>
[McpServerToolType]
public sealed class IssueTools(IssueService issues, AgentService agents, McpSessionTracker sessions)
{
    [McpServerTool(Name = "create_issue", Title = "Create issue", OpenWorld = false)]
    [Description("Open an issue: a problem to track until resolved.")]
    public Task<IssueSnapshot> CreateIssueAsync(
        McpServer server,
        [Description("Short title, at most 200 characters.")] string title,
        [Description("Markdown details.")] string? body = null,
        [Description("Low, Normal (default), High or Critical.")] string? priority = null,
        [Description("Labels, e.g. ['bug'].")] string[]? labels = null,
        [Description("Agent name to assign.")] string? assignee = null,
        [Description("Id of the task it is about.")] string? taskId = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => issues.CreateAsync(new CreateIssueRequest(title, body, priority, labels, assignee, taskId), Caller(server), cancellationToken));

    [McpServerTool(Name = "list_issues", Title = "List issues", ReadOnly = true, OpenWorld = false)]
    [Description("Issues, most recently changed first.")]
    public Task<IReadOnlyList<IssueSnapshot>> ListIssuesAsync(
        [Description("Open, InProgress, Blocked, Resolved or Closed.")] string? state = null,
        [Description("Only with this label.")] string? label = null,
        [Description("Only assigned to this agent.")] string? assignee = null,
        [Description("At most this many, 1-500 (default 50).")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => issues.ListAsync(IssueInputs.ParseState(state), label, assignee, limit, cancellationToken));

    [McpServerTool(Name = "get_issue", Title = "Get issue", ReadOnly = true, OpenWorld = false)]
    [Description("An issue with its comments and change history.")]
    public Task<IssueDetails> GetIssueAsync(
        [Description("The issue's id.")] string issueId,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => issues.GetAsync(IssueInputs.ParseId(issueId), cancellationToken));

    [McpServerTool(Name = "update_issue", Title = "Update issue", OpenWorld = false)]
    [Description("Change an issue's fields; omitted ones stay. Each change is kept in its history.")]
    public Task<IssueSnapshot> UpdateIssueAsync(
        McpServer server,
        [Description("The issue's id.")] string issueId,
        [Description("New title.")] string? title = null,
        [Description("New body.")] string? body = null,
        [Description("Low, Normal, High or Critical.")] string? priority = null,
        [Description("Open, InProgress, Blocked, Resolved or Closed.")] string? state = null,
        [Description("Replaces the labels.")] string[]? labels = null,
        [Description("Agent name to assign.")] string? assignee = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => issues.UpdateAsync(new UpdateIssueRequest(issueId, title, body, priority, state, labels, assignee), Caller(server), cancellationToken));

    [McpServerTool(Name = "comment_issue", Title = "Comment on issue", OpenWorld = false)]
    [Description("Add a comment to an issue.")]
    public Task<IssueSnapshot> CommentIssueAsync(
        McpServer server,
        [Description("The issue's id.")] string issueId,
        [Description("Markdown comment.")] string body,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => issues.CommentAsync(IssueInputs.ParseId(issueId), body, Caller(server), cancellationToken));

    [McpServerTool(Name = "close_issue", Title = "Close issue", Destructive = true, OpenWorld = false)]
    [Description("Close an issue, saying why.")]
    public Task<IssueSnapshot> CloseIssueAsync(
        McpServer server,
        [Description("The issue's id.")] string issueId,
        [Description("Why it is closed.")] string? reason = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => issues.CloseAsync(IssueInputs.ParseId(issueId), reason, Caller(server), cancellationToken));

    private AgentSnapshot? Caller(McpServer server) => agents.OptionalCaller(sessions.Describe(server));
}
