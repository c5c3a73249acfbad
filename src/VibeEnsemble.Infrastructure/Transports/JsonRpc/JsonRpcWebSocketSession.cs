using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Transports.WebSockets;
using WsFrameKind = VibeEnsemble.Infrastructure.Transports.WebSockets.FrameKind;

namespace VibeEnsemble.Infrastructure.Transports.JsonRpc;

/// <summary>
/// One client of a JSON-RPC 2.0 API over WebSocket, one message per text frame. Each frame is parsed once and its
/// params bound before the next frame is read, so no buffer is shared between calls; calls then run concurrently,
/// at most <see cref="MaxCallsInFlight"/> at a time, after which reading pauses until one finishes (ADR-006).
/// </summary>
public sealed partial class JsonRpcWebSocketSession<TContext> : IAsyncDisposable
{
    public const int MaxCallsInFlight = 64;
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly WebSocketTextSender _sender;
    private readonly JsonRpcMethods<TContext> _methods;
    private readonly TContext _context;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _inFlight = new(MaxCallsInFlight, MaxCallsInFlight);

    private readonly Func<CancellationToken, ValueTask>? _onCall;

    /// <param name="onCall">Runs before each call is dispatched (a sign of life for presence).</param>
    public JsonRpcWebSocketSession(
        WebSocket socket, JsonRpcMethods<TContext> methods, TContext context, ILogger logger, TimeSpan? sendStallTimeout = null,
        Func<CancellationToken, ValueTask>? onCall = null)
    {
        _onCall = onCall;
        _socket = socket;
        var stallTimeout = sendStallTimeout ?? new ConnectionOptions().SendStallTimeout;
        _sender = new WebSocketTextSender(socket, stallTimeout, () => LogNotReading(logger, stallTimeout));
        _methods = methods;
        _context = context;
        _logger = logger;
    }

    /// <summary>
    /// Reads and answers calls until the client goes away, then cancels the calls still running (nobody is left to
    /// answer) and waits for them.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var calls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await ReadCallsAsync(calls.Token);
        }
        finally
        {
            await calls.CancelAsync();
            for (var i = 0; i < MaxCallsInFlight; i++)
            {
                await _inFlight.WaitAsync(CancellationToken.None);
            }
        }
    }

    private async Task ReadCallsAsync(CancellationToken cancellationToken)
    {
        var reader = new WebSocketMessageReader(_socket, MaxMessageBytes);
        try
        {
            while (true)
            {
                switch (await reader.ReadAsync(cancellationToken))
                {
                    case WsFrameKind.Closed:
                        return;
                    case var _ when _sender.Stalled:
                        // A client that stopped reading is answered no more: what it sends is read and dropped until
                        // it closes (WebSocketTextSender).
                        continue;
                    case WsFrameKind.Binary:
                        // As on /mcp/ws (and as the WebSocket transport proposal SEP-1288 asks): text frames only.
                        await _sender.CloseAsync(WebSocketCloseStatus.InvalidMessageType,
                            "JSON-RPC over this WebSocket uses text frames only.", cancellationToken);
                        return;
                    case WsFrameKind.TooLarge:
                        await _sender.SendAsync(JsonRpcErrors.Response(null, JsonRpcErrors.InvalidRequest,
                            $"Message exceeds {MaxMessageBytes} bytes."), cancellationToken);
                        continue;
                }

                await _inFlight.WaitAsync(cancellationToken);
                var started = false;
                try
                {
                    started = await DispatchAsync(reader.Message, cancellationToken);
                }
                finally
                {
                    if (!started)
                    {
                        _inFlight.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            LogSessionEnded(_logger, ex.Message);
        }
    }

    /// <summary>Sends an already encoded notification (encoded once, sent to many).</summary>
    public Task NotifyAsync(ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken) =>
        _sender.SendAsync(encoded, cancellationToken);

    /// <summary>Starts the close handshake with 1001 (going away), e.g. when the server stops.</summary>
    public Task GoAwayAsync(CancellationToken cancellationToken) => _sender.GoAwayAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "Bye.", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogSessionEnded(_logger, ex.Message);
        }

        _sender.Dispose();
        _inFlight.Dispose();
    }

    /// <summary>Handles one frame; true when a call was started that will release its in-flight slot itself.</summary>
    private async Task<bool> DispatchAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        JsonRpcReply reply;
        JsonRpcMethod<TContext> method;
        object? parameters;
        using (var validation = JsonRpcFrameValidator.Validate(frame))
        {
            switch (validation.Kind)
            {
                case FrameKind.Invalid:
                    await _sender.SendAsync(validation.ErrorResponse, cancellationToken);
                    return false;
                case FrameKind.Response:
                    // The server sends the client notifications only, so no response can be awaited here.
                    LogUnexpectedResponse(_logger);
                    return false;
            }

            if (_onCall is not null)
            {
                await _onCall(cancellationToken);
            }

            reply = new JsonRpcReply(_sender, validation.Id);
            var found = _methods.Find(validation.Method);
            if (found is null)
            {
                // $/cancelRequest and other notifications we do not serve are dropped, as JSON-RPC allows.
                await reply.ErrorAsync(JsonRpcErrors.MethodNotFound,
                    $"Method '{validation.Method}' not found.", cancellationToken);
                return false;
            }

            method = found;
            try
            {
                parameters = method.Bind(validation.Params);
            }
            catch (JsonException ex)
            {
                await reply.ErrorAsync(JsonRpcErrors.InvalidParams, InvalidParamsMessage(ex), cancellationToken);
                return false;
            }
        }

        _ = RunCallAsync(method, parameters, reply, cancellationToken);
        return true;
    }

    private async Task RunCallAsync(
        JsonRpcMethod<TContext> method, object? parameters, JsonRpcReply reply, CancellationToken cancellationToken)
    {
        try
        {
            await method.InvokeAsync(parameters, _context, reply, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException
            && (cancellationToken.IsCancellationRequested || _sender.Stalled))
        {
            // The connection is going away, or its client stopped reading (logged once by the sender); nobody is
            // left to answer.
        }
        catch (Exception ex)
        {
            await ReplyWithErrorAsync(reply, ex, cancellationToken);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task ReplyWithErrorAsync(JsonRpcReply reply, Exception exception, CancellationToken cancellationToken)
    {
        var (code, message) = exception switch
        {
            EntityNotFoundException notFound => (VibeRpcErrorCodes.NotFound, notFound.Message),
            DomainException domain => (JsonRpcErrors.InvalidParams, domain.Message),
            JsonException json => (JsonRpcErrors.InvalidParams, InvalidParamsMessage(json)),
            _ => (JsonRpcErrors.InternalError, "Internal error."),
        };
        if (code == JsonRpcErrors.InternalError)
        {
            LogUnexpected(_logger, exception);
        }

        try
        {
            await reply.ErrorAsync(code, message, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            LogSessionEnded(_logger, ex.Message);
        }
    }

    private static string InvalidParamsMessage(JsonException exception) =>
        $"{JsonRpcErrors.InvalidParamsAt(exception)}; params are one object of named values.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Native RPC client read no reply for {Timeout}; closing it with 1008.")]
    private static partial void LogNotReading(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Native RPC session ended: {Reason}")]
    private static partial void LogSessionEnded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Native RPC client sent a response to a request the server never made; ignored.")]
    private static partial void LogUnexpectedResponse(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Native RPC call failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
