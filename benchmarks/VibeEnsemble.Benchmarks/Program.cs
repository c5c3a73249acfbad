using System.Text;
using VibeEnsemble.Benchmarks;

// Measures the real server end to end, as agents see it, next to floors measured in the same run: a raw Kestrel
// WebSocket echo, a raw HTTP echo and one-commit-per-call SQLite anchors. Loopback only; every cell is bounded.
// Usage: dotnet run -c Release --project benchmarks/VibeEnsemble.Benchmarks [-- --seconds 3 --warm-up 3 --connections 1,8,32,128 --idle-agents 1000]
// Soak instead: [-- --soak 5 --soak-agents 50 --soak-cycles 1000] (minutes of mixed load with connect/disconnect churn).
var seconds = double.Parse(Option("--seconds", "3"), System.Globalization.CultureInfo.InvariantCulture);
var connectionCounts = Option("--connections", "1,8,32,128").Split(',').Select(int.Parse).ToArray();
var idleAgents = int.Parse(Option("--idle-agents", "1000"));
// Rows whose name contains this (floors always run, for the ratio); e.g. --only mcp.
var only = Option("--only", "");
var duration = TimeSpan.FromSeconds(seconds);
Measurement.WarmUp = TimeSpan.FromSeconds(double.Parse(Option("--warm-up", "3"), System.Globalization.CultureInfo.InvariantCulture));
var runId = Guid.NewGuid().ToString("N")[..6];

// Another build of the server (--server /tmp/before/VibeEnsemble.Web.dll) compares two changes on the same machine.
var serverAssembly = Option("--server", Path.Combine(AppContext.BaseDirectory, "..", "..", "VibeEnsemble.Web",
    new DirectoryInfo(AppContext.BaseDirectory).Name, "VibeEnsemble.Web.dll"));
// Runtime settings for the server alone (--server-env DOTNET_gcServer=1,DOTNET_TieredPGO=0), so the client is unchanged.
var serverEnvironment = Option("--server-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries)
    .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
await using var anchors = await AnchorServers.StartAsync();
var dataDirectory = Path.Combine(Path.GetTempPath(), "vibe-bench", Guid.NewGuid().ToString("N"));
using var cleanup = new DeleteOnDispose(dataDirectory);
// Memory is measured idle twice: on the first start (the database is created and migrated, which loads EF Core)
// and on a restart over the same folder, which is how the server usually starts.
double firstStartMemory;
await using (var first = await ServerUnderTest.StartAsync(Path.GetFullPath(serverAssembly), dataDirectory, serverEnvironment, CancellationToken.None))
{
    await Task.Delay(TimeSpan.FromSeconds(3));
    firstStartMemory = first.ResidentMegabytes;
}

await using var server = await ServerUnderTest.StartAsync(Path.GetFullPath(serverAssembly), dataDirectory, serverEnvironment, CancellationToken.None);
await Task.Delay(TimeSpan.FromSeconds(3));
// Read before any diagnostics session touches the process: one adds native memory of its own. The per-connection
// figures below compare two readings that both had one, so that cancels out there.
var idleMemory = server.ResidentMegabytes;
// Per idle agent: what a second batch of agents adds on top of a first one (both kept connected). The first batch
// takes the one-time costs that any load brings (the connection path's code compiled again at its second tier, the
// garbage collector's budgets and the thread pool growing), which are not a cost of each connection.
var nativeIdle = await IdleAgentsAsync(new Uri($"ws://127.0.0.1:{server.AgentPort}/ws"), idleAgents, mcp: false);
var mcpIdle = await IdleAgentsAsync(new Uri($"ws://127.0.0.1:{server.AgentPort}/mcp/ws"), idleAgents, mcp: true);

if (Option("--soak", "") is { Length: > 0 } soakMinutes)
{
    return await Soak.RunAsync(server, TimeSpan.FromMinutes(double.Parse(soakMinutes, System.Globalization.CultureInfo.InvariantCulture)),
        int.Parse(Option("--soak-agents", "50")), int.Parse(Option("--soak-cycles", "1000")));
}

var anchor = new Uri($"ws://127.0.0.1:{anchors.Port}");
var native = new Uri($"ws://127.0.0.1:{server.AgentPort}/ws");
var mcpWs = new Uri($"ws://127.0.0.1:{server.AgentPort}/mcp/ws");
var mcpHttp = new Uri($"http://127.0.0.1:{server.AgentPort}/mcp");
var heartbeat = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/heartbeat","params":{"name":"bench-0"}}""");
const string ToolsList = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";

// Ten agents for list_agents to return, online for the whole run (their connection stays open).
await using var seed = await WebSocketConversation.ConnectAsync(native, null);
await NativeSetupAsync(seed, null);
for (var i = 0; i < 10; i++)
{
    await seed.CallAsync($$"""{"jsonrpc":"2.0","id":{{i}},"method":"vibe/agent/register","params":{"name":"listed-{{i}}","capabilities":["c#"]} }""");
}

// What every session pays in context on every turn: the tool list of its role, as bytes on the wire.
var toolListBytes = new List<(string Role, int Bytes)>();
foreach (var role in new[] { "worker", "agent", "coordinator", "" })
{
    await using var tools = await WebSocketConversation.ConnectAsync(new Uri(mcpWs, role.Length > 0 ? $"?role={role}" : ""), "mcp");
    await McpWebSocketSetupAsync(tools, null);
    var reply = await tools.CallAsync(ToolsList);
    toolListBytes.Add((role.Length > 0 ? role : "no role (everything)", reply.Length));
    anchors.LargeReply = reply.ToArray();
}

var rows = new List<(string Floor, Measurement Result)>();
TimeSpan Cpu() => server.CpuTime;
var list = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":{"status":"online"}}""");
var toolsList = Encoding.UTF8.GetBytes(ToolsList);

// Row by row, every connection count in turn; the floors first, the rows that leave agents behind (durable
// registrations) last, so that list_agents is measured with the agents it is meant to see.
await Row("ws", "raw Kestrel WebSocket echo", (name, connections) => WebSocketLoad.RunAsync(name, new(anchor, "/echo"), connections, duration, (_, _) => heartbeat));
await Row("http", "raw Kestrel HTTP POST echo", (name, connections) => HttpLoad.RunAsync(name, new($"http://127.0.0.1:{anchors.Port}/http-echo"), connections, duration, ToolsList));
// The floors again, answering with the tools/list reply of a session with no role (the last one read above).
await Row("ws", $"raw Kestrel WebSocket, tools/list-sized reply ({anchors.LargeReply.Length:N0} B)", (name, connections) =>
    WebSocketLoad.RunAsync(name, new(anchor, "/reply"), connections, duration, (_, _) => heartbeat));
await Row("http", $"raw Kestrel HTTP POST, tools/list-sized reply ({anchors.LargeReply.Length:N0} B)", (name, connections) =>
    HttpLoad.RunAsync(name, new($"http://127.0.0.1:{anchors.Port}/http-reply"), connections, duration, ToolsList));
await Row("ws", "anchor: JSON-RPC + one UPDATE per call, synchronous=FULL", (name, connections) => WebSocketLoad.RunAsync(name, new(anchor, "/rpc-db-full"), connections, duration, AnchorCall));
await Row("ws", "anchor: JSON-RPC + one UPDATE per call, synchronous=NORMAL", (name, connections) => WebSocketLoad.RunAsync(name, new(anchor, "/rpc-db-normal"), connections, duration, AnchorCall));
await Row("ws", "/ws vibe/agent/heartbeat", (name, connections) =>
{
    var beats = Enumerable.Range(0, connections).Select(c => Encoding.UTF8.GetBytes(
        $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/heartbeat","params":{"name":"hb-{{runId}}-{{c}}"} }""")).ToArray();
    return WebSocketLoad.RunAsync(name, native, connections, duration, (c, _) => beats[c], (c, s) => NativeSetupAsync(s, $"hb-{runId}-{c}"), serverCpu: Cpu);
});
await Row("ws", "/ws vibe/agent/list (10 online, in memory)", (name, connections) =>
    WebSocketLoad.RunAsync(name, native, connections, duration, (_, _) => list, (_, s) => NativeSetupAsync(s, null), serverCpu: Cpu));
await Row("ws", "/mcp/ws tools/call heartbeat", (name, connections) =>
{
    var beats = Enumerable.Range(0, connections).Select(c => Encoding.UTF8.GetBytes(
        $$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"heartbeat","arguments":{"name":"mcp-{{runId}}-{{c}}"} } }""")).ToArray();
    return WebSocketLoad.RunAsync(name, mcpWs, connections, duration, (c, _) => beats[c], (c, s) => McpWebSocketSetupAsync(s, $"mcp-{runId}-{c}"), "mcp", Cpu);
});
await Row("ws", "/mcp/ws tools/list", (name, connections) =>
    WebSocketLoad.RunAsync(name, mcpWs, connections, duration, (_, _) => toolsList, (_, s) => McpWebSocketSetupAsync(s, null), "mcp", Cpu));
// The list a coordinator's session is offered (a role's list is shaped once and reused, SlimToolList).
await Row("ws", "/mcp/ws?role=coordinator tools/list", (name, connections) =>
    WebSocketLoad.RunAsync(name, new Uri(mcpWs + "?role=coordinator"), connections, duration, (_, _) => toolsList, (_, s) => McpWebSocketSetupAsync(s, null), "mcp", Cpu));
await Row("http", "/mcp (Streamable HTTP) tools/list", (name, connections) =>
    HttpLoad.RunAsync(name, mcpHttp, connections, duration, ToolsList, client => McpHttpSetupAsync(client, mcpHttp), Cpu));
// The list a spawned worker is offered (~6 KB), over the transport Claude Code connects with.
var workerHttp = new Uri(mcpHttp + "?role=worker");
await Row("http", "/mcp?role=worker (Streamable HTTP) tools/list", (name, connections) =>
    HttpLoad.RunAsync(name, workerHttp, connections, duration, ToolsList, client => McpHttpSetupAsync(client, workerHttp), Cpu));
await Row("ws", "/mcp/ws tools/call approve_permission, allowed by a rule (1 audit commit)", (name, connections) =>
{
    var ask = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"approve_permission","arguments":{"tool_name":"Bash","input":{"command":"git status --short"}}}}""");
    return WebSocketLoad.RunAsync(name, mcpWs, connections, duration, (_, _) => ask, (_, s) => McpWebSocketSetupAsync(s, null), "mcp", Cpu);
});
foreach (var recipients in new[] { 1, 10, 100 })
{
    await Row("ws", $"/ws vibe/message/send → pushed to {recipients} recipient(s)", (name, connections) =>
        MessageLoad.RunAsync(name, native, connections, Math.Max(1, connections / recipients), recipients, duration, runId, Cpu));
}

await Row("ws", "/ws task cycle: create → next → complete (3 commits; calls/s = cycles/s)", (name, connections) =>
    TaskCycleLoad.RunAsync(name, native, connections, duration, runId, Cpu));
// Numbered across the warm-up and every cell, so each call registers a name never seen before.
var registered = 0L;
await Row("ws", "/ws vibe/agent/register, new agent (durable commit)", (name, connections) =>
    WebSocketLoad.RunAsync(name, native, connections, duration,
        (_, _) => Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"r-{{runId}}-{{Interlocked.Increment(ref registered)}}"} }"""),
        (_, s) => NativeSetupAsync(s, null), serverCpu: Cpu));

// A claim in front of a queue it can do nothing of: 5,000 ready tasks needing a capability no agent has. After the
// task rows, which the backlog would slow down.
const int Backlog = 5_000;
if ("/ws vibe/task/next".Contains(only, StringComparison.OrdinalIgnoreCase))
{
    await using var coordinator = await WebSocketConversation.ConnectAsync(native, null);
    await NativeSetupAsync(coordinator, $"backlog-{runId}");
    for (var i = 0; i < Backlog; i++)
    {
        await coordinator.CallAsync($$"""{"jsonrpc":"2.0","id":1,"method":"vibe/task/create","params":{"title":"backlog {{i}}","requiredCapabilities":["gpu-{{runId}}"]} }""");
    }
}

var next = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"vibe/task/next","params":{}}""");
await Row("ws", $"/ws vibe/task/next, none of {Backlog:N0} ready tasks doable (a scan on the writer)", (name, connections) =>
    WebSocketLoad.RunAsync(name, native, connections, duration, (_, _) => next,
        (c, s) => NativeSetupAsync(s, $"idle-{runId}-{connections}-{c}"), serverCpu: Cpu));

// check_conflicts end to end over MCP, with 10,000 active reservations written into the server's database (the server
// reads a project's active leases again within 2 s); last, so the leases weigh on no other row.
if ("/mcp/ws tools/call check_conflicts".Contains(only, StringComparison.OrdinalIgnoreCase))
{
    ConflictCheckBenchmark.Fill(Path.Combine(dataDirectory, "vibe-ensemble.db"));
}

await Row("ws", $"/mcp/ws tools/call check_conflicts ({ConflictCheckBenchmark.Reservations:N0} active reservations)", (name, connections) =>
{
    var check = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"check_conflicts","arguments":{"paths":["src/module42/Parser.cs","docs/none/readme.md"]}}}""");
    return WebSocketLoad.RunAsync(name, mcpWs, connections, duration, (_, _) => check, (_, s) => McpWebSocketSetupAsync(s, null), "mcp", Cpu);
});

var afterLoad = (await server.MemoryAfterGcAsync()).ResidentMegabytes;
var policy = "permission policy".Contains(only, StringComparison.OrdinalIgnoreCase) ? PolicyBenchmark.Run(duration) : default;
var search = "knowledge search".Contains(only, StringComparison.OrdinalIgnoreCase) ? await KnowledgeBenchmark.RunAsync(duration) : default;
var check = "check_conflicts".Contains(only, StringComparison.OrdinalIgnoreCase) ? await ConflictCheckBenchmark.RunAsync(duration) : default;
var scan = "conflict scan".Contains(only, StringComparison.OrdinalIgnoreCase) ? await ConflictScanBenchmark.RunAsync(runs: 5) : default;

Console.WriteLine($"Vibe Ensemble benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds:0.#} s per cell after {Measurement.WarmUp.TotalSeconds:0.#} s of warm-up");
Console.WriteLine();
Console.WriteLine("| path | conns | calls/s | p50 ms | p99 ms | vs floor | server CPU µs/call | errors |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (floor, m) in rows)
{
    var floorRate = rows.First(r => r.Floor == floor && r.Result.Connections == m.Connections).Result.PerSecond;
    var cpu = m.ServerCpuMicrosPerCall is { } micros ? $"{micros:F1}" : "";
    Console.WriteLine($"| {m.Name} | {m.Connections} | {m.PerSecond:N0} | {m.Percentile(50):F2} | {m.Percentile(99):F2} | {m.PerSecond / floorRate:P0} | {cpu} | {m.Errors} |");
}

Console.WriteLine();
Console.WriteLine("Floors: WebSocket rows against the raw WebSocket echo, HTTP rows against the raw HTTP echo, same connection count.");
Console.WriteLine("Server CPU: the server process's CPU time over the measured calls (client and server share the 2 cores).");
if (check.P99 > 0)
{
    Console.WriteLine($"check_conflicts in process with {ConflictCheckBenchmark.Reservations:N0} active reservations: {check.P50:F3} ms p50, {check.P99:F3} ms p99 (aim: p99 < 1 ms).");
}

if (scan.WallMs > 0)
{
    Console.WriteLine($"Conflict scan of {ConflictScanBenchmark.Worktrees} worktrees (10 changed files each, {scan.Conflicts} conflicting pairs): {scan.WallMs:F0} ms wall, {scan.CpuMs:F0} ms CPU (ours and git's), median of 5.");
}

if (search.P95 > 0)
{
    Console.WriteLine($"Knowledge search in process over {KnowledgeBenchmark.Entries:N0} entries (filled in {search.Seconds:F1} s): {search.P50:F3} ms p50, {search.P95:F3} ms p95 per search (aim: p95 < 2 ms).");
}

if (policy.Rules > 0)
{
    Console.WriteLine($"Permission policy in process, {policy.Rules:N0} rules, calls no rule or the last rules match: {policy.MeanMicros:F2} µs mean, {policy.P99Micros:F2} µs p99 per decision (target < 50 µs).");
}

Console.WriteLine($"tools/list bytes per role: {string.Join(", ", toolListBytes.Select(t => $"{t.Role} {t.Bytes:N0}"))} (targets: worker < 6,144, coordinator < 24,576).");
Console.WriteLine($"Server resident memory: {idleMemory:F0} MiB idle after a restart ({firstStartMemory:F0} MiB on the first start, which migrates); "
    + $"{nativeIdle.Megabytes:F0} MiB with {2 * idleAgents} idle /ws agents connected and registered, "
    + $"{mcpIdle.Megabytes:F0} MiB with {2 * idleAgents} idle MCP agents on /mcp/ws as well; {afterLoad:F0} MiB after the load.");
Console.WriteLine($"Per idle agent, what the second {idleAgents} added to the first (target < 32 KiB): /ws {nativeIdle.ResidentKb:F1} KiB resident, "
    + $"{nativeIdle.HeapKb:F1} KiB managed heap; /mcp/ws {mcpIdle.ResidentKb:F1} KiB resident, {mcpIdle.HeapKb:F1} KiB managed heap.");
return 0;

// Floors always run: every other row is shown as a share of them.
async Task Row(string floor, string name, Func<string, int, Task<Measurement>> run)
{
    if (!name.StartsWith("raw Kestrel", StringComparison.Ordinal) && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
    {
        return;
    }

    foreach (var connections in connectionCounts)
    {
        Console.Error.WriteLine($"... {name}, {connections} connection(s)");
        rows.Add((floor, await run(name, connections)));
    }
}

static ReadOnlyMemory<byte> AnchorCall(int connection, long call) =>
    Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{(connection * 1_000_000L) + call}},"method":"touch" }""");

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

async Task<IdleAgents> IdleAgentsAsync(Uri endpoint, int count, bool mcp)
{
    var sockets = new List<WebSocketConversation>(2 * count);
    var readings = new MemoryReading[2];
    for (var batch = 0; batch < 2; batch++)
    {
        for (var i = 0; i < count; i++)
        {
            var socket = await WebSocketConversation.ConnectAsync(endpoint, mcp ? "mcp" : null);
            var name = $"idle-{(mcp ? "mcp-" : "")}{runId}-{batch}-{i}";
            await (mcp ? McpWebSocketSetupAsync(socket, name) : NativeSetupAsync(socket, name));
            sockets.Add(socket);
        }

        readings[batch] = await server.MemoryAfterGcAsync();
    }

    foreach (var socket in sockets)
    {
        await socket.DisposeAsync();
    }

    var perAgent = count == 0 ? 0 : 1024.0 / count;
    return new IdleAgents(readings[1].ResidentMegabytes,
        (readings[1].ResidentMegabytes - readings[0].ResidentMegabytes) * perAgent,
        (readings[1].HeapMegabytes - readings[0].HeapMegabytes) * perAgent);
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

/// <summary>Deletes the server's data folder when the benchmark ends, whatever way it ends.</summary>
internal sealed class DeleteOnDispose(string directory) : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>Resident memory with the agents connected, and what each agent of the second batch added.</summary>
internal readonly record struct IdleAgents(double Megabytes, double ResidentKb, double HeapKb);
