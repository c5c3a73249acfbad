using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Client;
using StreamJsonRpc;
using VibeEnsemble.Benchmarks;

// Measures the server end to end, as agents see it: a real server process, real sockets, loopback only.
// Usage: dotnet run -c Release --project benchmarks/VibeEnsemble.Benchmarks [-- --calls 1000 --clients 20]
var calls = ReadOption("--calls", 1_000);
var clients = ReadOption("--clients", 20);
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var cancellationToken = cancellation.Token;

var serverAssembly = Path.Combine(AppContext.BaseDirectory, "..", "..", "VibeEnsemble.Web",
    new DirectoryInfo(AppContext.BaseDirectory).Name, "VibeEnsemble.Web.dll");
await using var server = await ServerUnderTest.StartAsync(Path.GetFullPath(serverAssembly), cancellationToken);
var idleMemory = server.ResidentMegabytes;
var results = new List<Measurement>();

await using (var rpc = await RpcClient.ConnectAsync(server.AgentPort, cancellationToken))
{
    results.Add(await Measurement.SequentialAsync("vibe/agent/register (new agent)", Math.Min(calls, 500),
        i => rpc.InvokeAsync("vibe/agent/register", new { name = $"bench-{i}", capabilities = new[] { "c#", "bench" } }, cancellationToken)));
    results.Add(await Measurement.SequentialAsync("vibe/agent/heartbeat", calls,
        i => rpc.InvokeAsync("vibe/agent/heartbeat", new { name = $"bench-{i % 10}" }, cancellationToken)));
    results.Add(await Measurement.SequentialAsync("vibe/agent/list (500 agents)", Math.Min(calls, 200),
        _ => rpc.InvokeAsync("vibe/agent/list", new { }, cancellationToken)));
}

var concurrent = await ConcurrentHeartbeatsAsync(server.AgentPort, clients, calls / 10, cancellationToken);
results.Add(concurrent);

await using (var mcp = await McpClient.CreateAsync(
    new HttpClientTransport(new() { Endpoint = new Uri($"http://127.0.0.1:{server.AgentPort}/mcp"), Name = "bench" }),
    cancellationToken: cancellationToken))
{
    results.Add(await Measurement.SequentialAsync("MCP tools/call heartbeat (Streamable HTTP)", Math.Min(calls, 500),
        i => mcp.CallToolAsync("heartbeat", new Dictionary<string, object?> { ["name"] = $"bench-{i % 10}" },
            cancellationToken: cancellationToken).AsTask()));
}

Console.WriteLine($"Vibe Ensemble benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}");
Console.WriteLine();
Console.WriteLine("| operation | ops | ops/s | p50 ms | p95 ms | p99 ms |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var m in results)
{
    Console.WriteLine($"| {m.Name} | {m.Operations} | {m.PerSecond:F0} | {m.Percentile(50):F2} | {m.Percentile(95):F2} | {m.Percentile(99):F2} |");
}

Console.WriteLine();
Console.WriteLine($"Server resident memory: {idleMemory:F0} MiB idle, {server.ResidentMegabytes:F0} MiB after the run.");
return 0;

static async Task<Measurement> ConcurrentHeartbeatsAsync(int port, int clients, int callsEach, CancellationToken cancellationToken)
{
    var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => RpcClient.ConnectAsync(port, cancellationToken)));
    try
    {
        var total = Stopwatch.StartNew();
        var perClient = await Task.WhenAll(connections.Select((rpc, c) => Measurement.SequentialAsync("", callsEach,
            _ => rpc.InvokeAsync("vibe/agent/heartbeat", new { name = $"bench-{c % 10}" }, cancellationToken))));
        return new Measurement($"vibe/agent/heartbeat, {clients} clients at once", clients * callsEach, total.Elapsed,
            [.. perClient.SelectMany(m => m.LatenciesMs)]);
    }
    finally
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }
}

int ReadOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}

/// <summary>A native API client: StreamJsonRpc over a WebSocket to <c>/ws</c>.</summary>
internal sealed class RpcClient(ClientWebSocket socket, JsonRpc rpc) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<RpcClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), cancellationToken);
        var rpc = new JsonRpc(new WebSocketMessageHandler(socket, new SystemTextJsonFormatter { JsonSerializerOptions = s_json }));
        rpc.StartListening();
        return new RpcClient(socket, rpc);
    }

    public Task InvokeAsync(string method, object parameters, CancellationToken cancellationToken) =>
        rpc.InvokeWithParameterObjectAsync<JsonElement>(method, parameters, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        rpc.Dispose();
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        socket.Dispose();
    }
}
