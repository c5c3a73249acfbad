using System.Net.WebSockets;
using System.Threading.Channels;
using StreamJsonRpc;

namespace VibeEnsemble.Tests.Support;

/// <summary>A StreamJsonRpc client of the native <c>/ws</c> API that records what the server pushes.</summary>
internal sealed class NativeRpcClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<(string Method, AgentDto Agent)> _notifications = Channel.CreateUnbounded<(string, AgentDto)>();
    private readonly Channel<System.Text.Json.JsonElement> _messages = Channel.CreateUnbounded<System.Text.Json.JsonElement>();

    private NativeRpcClient(ClientWebSocket socket)
    {
        _socket = socket;
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = Json.Options };
        Rpc = new JsonRpc(new WebSocketMessageHandler(socket, formatter));
        Rpc.AddLocalRpcTarget(new NotificationTarget(_notifications.Writer, _messages.Writer));
        Rpc.StartListening();
    }

    public JsonRpc Rpc { get; }

    public static async Task<NativeRpcClient> ConnectAsync(Uri agentWebSocketUrl, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(agentWebSocketUrl, "/ws"), cancellationToken);
        return new NativeRpcClient(socket);
    }

    public Task<AgentDto> RegisterAsync(string name, string[] capabilities, CancellationToken cancellationToken) =>
        Rpc.InvokeWithParameterObjectAsync<AgentDto>(
            "vibe/agent/register", new { name, capabilities, specializations = new[] { "rpc" } }, cancellationToken);

    /// <summary>Waits for the first pushed notification that matches, skipping others.</summary>
    public async Task<AgentDto> WaitForNotificationAsync(
        string method, Func<AgentDto, bool> match, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        await foreach (var (name, agent) in _notifications.Reader.ReadAllAsync(timeout.Token))
        {
            if (name == method && match(agent))
            {
                return agent;
            }
        }

        throw new InvalidOperationException("Notification channel closed.");
    }

    /// <summary>Waits for the next message pushed to this connection's agent (<c>vibe/agent/message</c>) that matches.</summary>
    public async Task<System.Text.Json.JsonElement> WaitForMessageAsync(Func<System.Text.Json.JsonElement, bool> match, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        await foreach (var message in _messages.Reader.ReadAllAsync(timeout.Token))
        {
            if (match(message))
            {
                return message;
            }
        }

        throw new InvalidOperationException("Notification channel closed.");
    }

    /// <summary>Messages pushed so far and not yet waited for.</summary>
    public int PendingMessages => _messages.Reader.Count;

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TestConstants.DefaultTimeout);
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }

        _socket.Dispose();
    }

    private sealed class NotificationTarget(ChannelWriter<(string, AgentDto)> writer, ChannelWriter<System.Text.Json.JsonElement> messages)
    {
        [JsonRpcMethod("vibe/agent/message", UseSingleObjectParameterDeserialization = true)]
        public void OnMessage(System.Text.Json.JsonElement message) => messages.TryWrite(message.Clone());

        [JsonRpcMethod("vibe/agent/registered", UseSingleObjectParameterDeserialization = true)]
        public void OnRegistered(AgentDto agent) => writer.TryWrite(("vibe/agent/registered", agent));

        [JsonRpcMethod("vibe/agent/offline", UseSingleObjectParameterDeserialization = true)]
        public void OnOffline(AgentDto agent) => writer.TryWrite(("vibe/agent/offline", agent));

        [JsonRpcMethod("vibe/agent/stale", UseSingleObjectParameterDeserialization = true)]
        public void OnStale(AgentDto agent) => writer.TryWrite(("vibe/agent/stale", agent));
    }
}
