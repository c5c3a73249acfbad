using System.Text;
using VibeEnsemble.Benchmarks;

// Measures the real server end to end, as agents see it, next to floors measured in the same run: a raw Kestrel
// WebSocket echo, a raw HTTP echo and one-commit-per-call SQLite anchors. Loopback only; every cell is bounded.
// Usage: dotnet run -c Release --project benchmarks/VibeEnsemble.Benchmarks [-- --seconds 3 --connections 1,8,32,128 --idle-agents 1000]
var seconds = double.Parse(Option("--seconds", "3"), System.Globalization.CultureInfo.InvariantCulture);
var connectionCounts = Option("--connections", "1,8,32,128").Split(',').Select(int.Parse).ToArray();
var idleAgents = int.Parse(Option("--idle-agents", "1000"));
var duration = TimeSpan.FromSeconds(seconds);
var runId = Guid.NewGuid().ToString("N")[..6];

var serverAssembly = Path.Combine(AppContext.BaseDirectory, "..", "..", "VibeEnsemble.Web",
    new DirectoryInfo(AppContext.BaseDirectory).Name, "VibeEnsemble.Web.dll");
await using var anchors = await AnchorServers.StartAsync();
await using var server = await ServerUnderTest.StartAsync(Path.GetFullPath(serverAssembly), CancellationToken.None);
await Task.Delay(TimeSpan.FromSeconds(2));
var idleMemory = server.ResidentMegabytes;

var anchor = new Uri($"ws://127.0.0.1:{anchors.Port}");
var native = new Uri($"ws://127.0.0.1:{server.AgentPort}/ws");
var mcpWs = new Uri($"ws://127.0.0.1:{server.AgentPort}/mcp/ws");
var mcpHttp = new Uri($"http://127.0.0.1:{server.AgentPort}/mcp");
var heartbeat = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/heartbeat","params":{"name":"bench-0"}}""");
const string ToolsList = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";

// Ten agents for list_agents to return.
await using (var seed = await WebSocketConversation.ConnectAsync(native, null))
{
    for (var i = 0; i < 10; i++)
    {
        await seed.CallAsync($$"""{"jsonrpc":"2.0","id":{{i}},"method":"vibe/agent/register","params":{"name":"listed-{{i}}","capabilities":["c#"]} }""");
    }
}

var rows = new List<(string Floor, Measurement Result)>();
foreach (var connections in connectionCounts)
{
    Console.Error.WriteLine($"... {connections} connection(s)");
    rows.Add(("ws", await WebSocketLoad.RunAsync("raw Kestrel WebSocket echo", new(anchor, "/echo"), connections, duration, (_, _) => heartbeat)));
    rows.Add(("ws", await WebSocketLoad.RunAsync("anchor: JSON-RPC + one UPDATE per call, synchronous=FULL", new(anchor, "/rpc-db-full"), connections, duration,
        (c, n) => Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{(c * 1_000_000L) + n}},"method":"touch" }"""))));
    rows.Add(("ws", await WebSocketLoad.RunAsync("anchor: JSON-RPC + one UPDATE per call, synchronous=NORMAL", new(anchor, "/rpc-db-normal"), connections, duration,
        (c, n) => Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{(c * 1_000_000L) + n}},"method":"touch" }"""))));
    var beats = Enumerable.Range(0, connections).Select(c => Encoding.UTF8.GetBytes(
        $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/heartbeat","params":{"name":"hb-{{runId}}-{{c}}"} }""")).ToArray();
    rows.Add(("ws", await WebSocketLoad.RunAsync("/ws vibe/agent/heartbeat", native, connections, duration, (c, _) => beats[c],
        (c, s) => NativeSetupAsync(s, $"hb-{runId}-{c}"))));
    var list = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":{"status":"online"}}""");
    rows.Add(("ws", await WebSocketLoad.RunAsync("/ws vibe/agent/list (in memory)", native, connections, duration, (_, _) => list,
        (_, s) => NativeSetupAsync(s, null))));
    rows.Add(("ws", await WebSocketLoad.RunAsync("/ws vibe/agent/register, new agent (durable commit)", native, connections, duration,
        (c, n) => Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"r-{{runId}}-{{connections}}-{{c}}-{{n}}"} }"""),
        (_, s) => NativeSetupAsync(s, null))));
    var mcpBeats = Enumerable.Range(0, connections).Select(c => Encoding.UTF8.GetBytes(
        $$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"heartbeat","arguments":{"name":"mcp-{{runId}}-{{c}}"} } }""")).ToArray();
    rows.Add(("ws", await WebSocketLoad.RunAsync("/mcp/ws tools/call heartbeat", mcpWs, connections, duration, (c, _) => mcpBeats[c],
        (c, s) => McpWebSocketSetupAsync(s, $"mcp-{runId}-{c}"), "mcp")));
    var toolsList = Encoding.UTF8.GetBytes(ToolsList);
    rows.Add(("ws", await WebSocketLoad.RunAsync("/mcp/ws tools/list", mcpWs, connections, duration, (_, _) => toolsList,
        (_, s) => McpWebSocketSetupAsync(s, null), "mcp")));
    rows.Add(("http", await HttpLoad.RunAsync("raw Kestrel HTTP POST echo", new($"http://127.0.0.1:{anchors.Port}/http-echo"), connections, duration, ToolsList)));
    rows.Add(("http", await HttpLoad.RunAsync("/mcp (Streamable HTTP) tools/list", mcpHttp, connections, duration, ToolsList,
        client => McpHttpSetupAsync(client, mcpHttp))));
}

var afterLoad = server.ResidentMegabytes;
var (withIdle, perAgentKb) = await IdleAgentsAsync(native, idleAgents);

Console.WriteLine($"Vibe Ensemble benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds:0.#} s per cell");
Console.WriteLine();
Console.WriteLine("| path | conns | calls/s | p50 ms | p99 ms | vs floor | errors |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (floor, m) in rows)
{
    var floorRate = rows.First(r => r.Floor == floor && r.Result.Connections == m.Connections).Result.PerSecond;
    Console.WriteLine($"| {m.Name} | {m.Connections} | {m.PerSecond:N0} | {m.Percentile(50):F2} | {m.Percentile(99):F2} | {m.PerSecond / floorRate:P0} | {m.Errors} |");
}

Console.WriteLine();
Console.WriteLine("Floors: WebSocket rows against the raw WebSocket echo, HTTP rows against the raw HTTP echo, same connection count.");
Console.WriteLine($"Server resident memory: {idleMemory:F0} MiB idle after start, {afterLoad:F0} MiB after the load, "
    + $"{withIdle:F0} MiB with {idleAgents} idle /ws agents connected ({perAgentKb:F1} KiB each).");
return 0;

static async Task NativeSetupAsync(WebSocketConversation socket, string? name)
{
    // Benchmark clients hear no pushes, so every frame they read is the reply to their own call.
    await socket.CallAsync("""{"jsonrpc":"2.0","id":0,"method":"vibe/events/subscribe","params":{"kinds":[]}}""");
    if (name is not null)
    {
        await socket.CallAsync($$"""{"jsonrpc":"2.0","id":0,"method":"vibe/agent/register","params":{"name":"{{name}}"} }""");
    }
}

static async Task McpWebSocketSetupAsync(WebSocketConversation socket, string? name)
{
    await socket.CallAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""");
    await socket.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
    if (name is not null)
    {
        await socket.CallAsync($$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"register_agent","arguments":{"name":"{{name}}"} } }""");
    }
}

static async Task<string?> McpHttpSetupAsync(HttpClient client, Uri endpoint)
{
    using var initialize = await client.SendAsync(HttpLoad.Post(endpoint,
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""", null));
    var session = initialize.Headers.GetValues("Mcp-Session-Id").Single();
    await initialize.Content.ReadAsStringAsync();
    using var initialized = await client.SendAsync(HttpLoad.Post(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", session));
    return session;
}

async Task<(double Megabytes, double PerAgentKb)> IdleAgentsAsync(Uri endpoint, int count)
{
    var before = server.ResidentMegabytes;
    var sockets = new List<WebSocketConversation>(count);
    for (var i = 0; i < count; i++)
    {
        var socket = await WebSocketConversation.ConnectAsync(endpoint, null);
        await NativeSetupAsync(socket, $"idle-{runId}-{i}");
        sockets.Add(socket);
    }

    await Task.Delay(TimeSpan.FromSeconds(3));
    var with = server.ResidentMegabytes;
    foreach (var socket in sockets)
    {
        await socket.DisposeAsync();
    }

    return (with, count == 0 ? 0 : (with - before) * 1024 / count);
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
