using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace VibeEnsemble.Infrastructure.Transports.WebSockets;

/// <summary>
/// MCP over WebSocket as Claude Code, the TypeScript and the Python SDKs speak it: subprotocol <c>mcp</c>,
/// one JSON-RPC message per text frame. The official C# SDK has no WebSocket transport, so this fills the gap.
/// A malformed frame is answered with a JSON-RPC error and the connection stays open; a binary frame closes
/// it with 1003, as the WebSocket transport proposal (SEP-1288) asks.
/// </summary>
public sealed partial class WebSocketMcpTransport : TransportBase
{
    public const string SubProtocol = "mcp";
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly WebSocketTextSender _sender;
    private readonly ILogger _logger;

    // A client may send thousands of bad frames; each is answered, but only the first few are logged as warnings.
    private const int MalformedFramesWarned = 3;
    private int _malformedFrames;

    /// <summary>
    /// Requests read but not yet answered. Past this many the pump stops reading, so a client that sends without
    /// reading the replies is held back by TCP instead of making the server buffer every reply (backpressure).
    /// </summary>
    public const int MaxRequestsInFlight = 64;

    private readonly SemaphoreSlim _inFlight = new(MaxRequestsInFlight, MaxRequestsInFlight);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RequestId, byte> _unanswered = new();

    public WebSocketMcpTransport(WebSocket socket, string sessionId, ILoggerFactory loggerFactory, TimeSpan? sendStallTimeout = null)
        : base("websocket", loggerFactory)
    {
        _socket = socket;
        _logger = loggerFactory.CreateLogger<WebSocketMcpTransport>();
        var stallTimeout = sendStallTimeout ?? new ConnectionOptions().SendStallTimeout;
        _sender = new WebSocketTextSender(socket, stallTimeout, () => LogNotReading(_logger, sessionId, stallTimeout));
        SessionId = sessionId;
        SetConnected();
    }

    /// <summary>Pumps incoming frames into the MCP server until the client goes away.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = new WebSocketMessageReader(_socket, MaxMessageBytes);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var kind = await reader.ReadAsync(cancellationToken);
                switch (kind)
                {
                    case FrameKind.Closed:
                        return;
                    case var _ when _sender.Stalled:
                        // A client that stopped reading is answered no more: what it sends is read and dropped until
                        // it closes (WebSocketTextSender).
                        continue;
                    case FrameKind.Binary:
                        await _sender.CloseAsync(WebSocketCloseStatus.InvalidMessageType,
                            "MCP over WebSocket uses text frames only.", cancellationToken);
                        return;
                    case FrameKind.TooLarge:
                        await ReplyErrorAsync(JsonRpcErrors.InvalidRequest,
                            $"Message exceeds {MaxMessageBytes} bytes.", cancellationToken);
                        continue;
                }

                JsonRpcMessage? message;
                try
                {
                    message = JsonSerializer.Deserialize(reader.Message.Span, McpJsonUtilities.DefaultOptions
                        .GetTypeInfo(typeof(JsonRpcMessage))) as JsonRpcMessage;
                }
                catch (JsonException ex)
                {
                    LogMalformed(ex.Message);
                    var (code, what) = IsJson(reader.Message)
                        ? (JsonRpcErrors.InvalidRequest, "Invalid JSON-RPC message")
                        : (JsonRpcErrors.ParseError, "Parse error");
                    await ReplyErrorAsync(code, $"{what}: {ex.Message}", cancellationToken);
                    continue;
                }

                if (message is null)
                {
                    await ReplyErrorAsync(JsonRpcErrors.InvalidRequest, "Expected a JSON-RPC message object.",
                        cancellationToken);
                    continue;
                }

                switch (message)
                {
                    case JsonRpcRequest request:
                        await _inFlight.WaitAsync(cancellationToken);
                        if (!_unanswered.TryAdd(request.Id, 0))
                        {
                            // An id still in flight cannot be answered apart from the first one, and letting it through
                            // would let a client that repeats one id bypass the bound above: it is refused instead.
                            _inFlight.Release();
                            await _sender.SendAsync(JsonSerializer.SerializeToUtf8Bytes(
                                new JsonRpcError
                                {
                                    Id = request.Id,
                                    Error = new JsonRpcErrorDetail
                                    {
                                        Code = JsonRpcErrors.InvalidRequest,
                                        Message = $"Request id {request.Id} is already in use by a request in flight; use a new id for each request.",
                                    },
                                },
                                McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage))), cancellationToken);
                            continue;
                        }

                        break;
                    case JsonRpcNotification { Method: NotificationMethods.CancelledNotification } cancelled:
                        // A cancelled request is never answered, so its slot is given back here.
                        ReleaseCancelled(cancelled);
                        break;
                }

                await WriteMessageAsync(message, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            LogSocketFailed(_logger, SessionId, ex.Message);
        }
        finally
        {
            SetDisconnected();
        }
    }

    /// <summary>Starts the close handshake with 1001 (going away), e.g. when the server stops.</summary>
    public Task GoAwayAsync(CancellationToken cancellationToken) => _sender.GoAwayAsync(cancellationToken);

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message,
            McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage)));
        // The id is free again before the reply can reach the client, which may reuse it at once; the slot only once
        // the reply has left (or could not), so a reader that stops reading keeps it taken.
        var answered = message is JsonRpcMessageWithId { } reply and (JsonRpcResponse or JsonRpcError) && _unanswered.TryRemove(reply.Id, out _);
        try
        {
            await _sender.SendAsync(bytes, cancellationToken);
        }
        finally
        {
            if (answered)
            {
                _inFlight.Release();
            }
        }
    }

    private void ReleaseCancelled(JsonRpcNotification cancelled)
    {
        var id = cancelled.Params?["requestId"];
        RequestId? requestId = id?.GetValueKind() switch
        {
            JsonValueKind.String => new RequestId(id.GetValue<string>()),
            JsonValueKind.Number when id.AsValue().TryGetValue<long>(out var number) => new RequestId(number),
            _ => null,
        };
        if (requestId is { } key && _unanswered.TryRemove(key, out _))
        {
            _inFlight.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "Session ended.", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogSocketFailed(_logger, SessionId, ex.Message);
        }

        _sender.Dispose();
        SetDisconnected();
    }

    private void LogMalformed(string reason)
    {
        var count = ++_malformedFrames;
        if (count <= MalformedFramesWarned)
        {
            LogMalformedFrame(_logger, SessionId, reason);
            if (count == MalformedFramesWarned)
            {
                LogFurtherMalformedAtDebug(_logger, SessionId);
            }
        }
        else
        {
            LogMalformedFrameDebug(_logger, SessionId, reason);
        }
    }

    /// <summary>Tells a frame that is not JSON at all (-32700) from JSON that is not a valid message (-32600).</summary>
    private static bool IsJson(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private Task ReplyErrorAsync(int code, string message, CancellationToken cancellationToken) =>
        _sender.SendAsync(JsonRpcErrors.Response(null, code, message), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP WebSocket session {SessionId} sent a malformed frame: {Reason}")]
    private static partial void LogMalformedFrame(ILogger logger, string? sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP WebSocket session {SessionId} keeps sending malformed frames; each is still answered, further ones are logged at Debug.")]
    private static partial void LogFurtherMalformedAtDebug(ILogger logger, string? sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP WebSocket session {SessionId} sent a malformed frame: {Reason}")]
    private static partial void LogMalformedFrameDebug(ILogger logger, string? sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP WebSocket session {SessionId} read no reply for {Timeout}; closing it with 1008.")]
    private static partial void LogNotReading(ILogger logger, string? sessionId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP WebSocket session {SessionId} ended abruptly: {Reason}")]
    private static partial void LogSocketFailed(ILogger logger, string? sessionId, string reason);
}
