using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Messages;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Pushes each message into the MCP sessions of its recipients as <c>notifications/claude/channel</c> (the server
/// declares the experimental <c>claude/channel</c> capability), so a Claude Code session started with development
/// channels reads it at once; other clients ignore the notification, and the message stays in the inbox either way.
/// </summary>
internal sealed partial class McpChannelRelay(CoordinationEventBus events, McpSessionTracker sessions, ILogger<McpChannelRelay> logger)
    : BackgroundService
{
    public const string Capability = "claude/channel";
    public const string Method = "notifications/claude/channel";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sent = events.Subscribe(EventKinds.Message);
        try
        {
            await foreach (var change in sent.ReadAllAsync(stoppingToken))
            {
                if (change is not MessageSent { Message: var message, Connections: { Count: > 0 } connections })
                {
                    continue;
                }

                foreach (var connection in connections)
                {
                    if (sessions.SessionOf(connection) is not { } session)
                    {
                        continue;
                    }

                    try
                    {
                        await session.SendNotificationAsync(Method, new ChannelEvent(
                            message.Subject.Length > 0 ? $"{message.Subject}\n\n{message.Body}" : message.Body,
                            new Dictionary<string, string>
                            {
                                ["from"] = message.Sender, ["message_id"] = message.Id.ToString(),
                                ["importance"] = message.Importance.ToString().ToLowerInvariant(),
                            }), cancellationToken: stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The session is going away; the message is in the inbox.
                        LogNotPushed(logger, message.Id, connection, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The channel event as Claude Code reads it: the text, and string attributes shown with it.</summary>
    internal sealed record ChannelEvent(string Content, IReadOnlyDictionary<string, string> Meta);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} was not pushed into MCP session {SessionId}: {Reason}")]
    private static partial void LogNotPushed(ILogger logger, Guid messageId, string sessionId, string reason);
}
