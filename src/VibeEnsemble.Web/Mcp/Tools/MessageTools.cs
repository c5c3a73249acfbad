using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Messages;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="MessageService"/>; <c>vibe/message/*</c> is the other.</summary>
[McpServerToolType]
public sealed class MessageTools(MessageService messages, AgentService agents, McpSessionTracker sessions)
{
    [McpServerTool(Name = "send_message", Title = "Send message", OpenWorld = false)]
    [Description("Send a message; it waits in each recipient's inbox until read, even offline.")]
    public Task<MessageSnapshot> SendMessageAsync(
        McpServer server,
        [Description("Agent name, 'group:<name>' (its members and holders of that capability), 'everyone' or 'human' (the person).")] string to,
        [Description("At most 20,000 characters.")] string body,
        [Description("A short subject.")] string? subject = null,
        [Description("normal (default), high or urgent.")] string? importance = null,
        [Description("Ask recipients to acknowledge_message it.")] bool ackRequired = false,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => messages.SendAsync(
            new SendMessageRequest(to, body, subject, importance, ackRequired), Sender(server), cancellationToken));

    [McpServerTool(Name = "reply_message", Title = "Reply to message", OpenWorld = false)]
    [Description("Reply to a message's sender, in its thread.")]
    public Task<MessageSnapshot> ReplyMessageAsync(
        McpServer server,
        [Description("The message's id.")] string messageId,
        [Description("The reply.")] string body,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => messages.ReplyAsync(MessageIds.Parse(messageId), body, Sender(server), cancellationToken));

    [McpServerTool(Name = "check_inbox", Title = "Check inbox", OpenWorld = false)]
    [Description("Your messages, unread first; returned ones count as read.")]
    public Task<IReadOnlyList<MessageSnapshot>> CheckInboxAsync(
        McpServer server,
        [Description("Only unread ones (default true).")] bool unreadOnly = true,
        [Description("At most this many, 1-200 (default 50).")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => messages.InboxAsync(Caller(server), unreadOnly, limit, cancellationToken));

    [McpServerTool(Name = "wait_for_messages", Title = "Wait for messages", ReadOnly = true, OpenWorld = false)]
    [Description("Wait until you have an unread message (at most waitSeconds) and return your unread messages.")]
    public Task<IReadOnlyList<MessageSnapshot>> WaitForMessagesAsync(
        McpServer server,
        [Description("Longest wait, 0-55 seconds (default 30).")] int? waitSeconds = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => messages.WaitAsync(Caller(server), waitSeconds, cancellationToken));

    [McpServerTool(Name = "acknowledge_message", Title = "Acknowledge message", Idempotent = true, OpenWorld = false)]
    [Description("Tell the sender you have acted on a message sent to you.")]
    public Task<MessageSnapshot> AcknowledgeMessageAsync(
        McpServer server,
        [Description("The message's id.")] string messageId,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => messages.AcknowledgeAsync(Caller(server), MessageIds.Parse(messageId), cancellationToken));

    [McpServerTool(Name = "search_messages", Title = "Search messages", ReadOnly = true, OpenWorld = false)]
    [Description("Messages you sent or received whose subject or text contains the words, newest first.")]
    public Task<IReadOnlyList<MessageSnapshot>> SearchMessagesAsync(
        McpServer server,
        [Description("Plain text to find, at most 200 characters.")] string query,
        [Description("At most this many, 1-200 (default 50).")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => messages.SearchAsync(Caller(server), query, limit, cancellationToken));

    private AgentSnapshot? Sender(McpServer server) => agents.OptionalCaller(sessions.Describe(server));

    private AgentSnapshot Caller(McpServer server) => agents.OptionalCaller(sessions.Describe(server))
        ?? throw new DomainException("Register first (register_agent): messages are addressed to agents by name.");
}
