using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Web.Rpc;

/// <summary><c>vibe/message/*</c>: the twins of the MCP message tools, over the same service.</summary>
internal static class VibeRpcMessageMethods
{
    public static JsonRpcMethods<VibeRpcConnection> AddMessageMethods(
        this JsonRpcMethods<VibeRpcConnection> methods, MessageService messages, AgentService agents) => methods
        .Add<SendMessageRequest, MessageSnapshot>("vibe/message/send",
            (request, connection, cancellationToken) => messages.SendAsync(
                request ?? throw new DomainException("'to' and 'body' are required."), agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<ReplyMessageRequest, MessageSnapshot>("vibe/message/reply",
            (request, connection, cancellationToken) => messages.ReplyAsync(
                MessageIds.Parse(request?.MessageId), request?.Body, agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<InboxRequest, IReadOnlyList<MessageSnapshot>>("vibe/message/inbox",
            (request, connection, cancellationToken) => messages.InboxAsync(
                agents.RequireCaller(connection.Agent), request?.UnreadOnly ?? true, request?.Limit, cancellationToken))
        .Add<WaitMessagesRequest, IReadOnlyList<MessageSnapshot>>("vibe/message/wait",
            (request, connection, cancellationToken) => messages.WaitAsync(agents.RequireCaller(connection.Agent), request?.WaitSeconds, cancellationToken))
        .Add<AckMessageRequest, MessageSnapshot>("vibe/message/ack",
            (request, connection, cancellationToken) => messages.AcknowledgeAsync(
                agents.RequireCaller(connection.Agent), MessageIds.Parse(request?.MessageId), cancellationToken))
        .Add<SearchMessagesRequest, IReadOnlyList<MessageSnapshot>>("vibe/message/search",
            (request, connection, cancellationToken) => messages.SearchAsync(
                agents.RequireCaller(connection.Agent), request?.Query, request?.Limit, cancellationToken));
}

internal sealed record ReplyMessageRequest(string? MessageId, string? Body);

internal sealed record InboxRequest(bool? UnreadOnly = null, int? Limit = null);

internal sealed record WaitMessagesRequest(int? WaitSeconds = null);

internal sealed record AckMessageRequest(string? MessageId);

internal sealed record SearchMessagesRequest(string? Query, int? Limit = null);
