using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// The long soak: agents over /ws and Streamable HTTP making mixed calls for minutes while others connect and leave.
/// Prints calls, errors, resident memory after warm-up and at the end (after a full GC), file handles and sessions
/// left once everyone has gone. Targets: zero errors, memory back within 20 % of its warm level, nothing left.
/// </summary>
internal static class Soak
{
    public static async Task<int> RunAsync(ServerUnderTest server, TimeSpan duration, int agents, int cycles)
    {
        var agentUrl = new Uri($"http://127.0.0.1:{server.AgentPort}");
        Console.Error.WriteLine($"... soak warm-up: {agents} agents for 30 s");
        await SoakDriver.RunAsync(agentUrl, agents, TimeSpan.FromSeconds(30), 50, "warm", CancellationToken.None);
        var warmMemory = (await server.MemoryAfterGcAsync()).ResidentMegabytes;
        var warmHandles = server.OpenFileHandles;
        Console.Error.WriteLine($"... soak: {agents} agents for {duration.TotalMinutes:0.#} min, {cycles} connect/leave cycles");
        var started = DateTime.UtcNow;
        var result = await SoakDriver.RunAsync(agentUrl, agents, duration, cycles, "soak", CancellationToken.None);
        var elapsed = DateTime.UtcNow - started;
        using var api = new HttpClient { BaseAddress = agentUrl };
        JsonElement stats = default;
        for (var i = 0; i < 100; i++)
        {
            stats = await api.GetFromJsonAsync<JsonElement>("/api/stats");
            if (stats.GetProperty("mcpSessions").GetInt32() == 0 && stats.GetProperty("nativeConnections").GetInt32() == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        var endMemory = (await server.MemoryAfterGcAsync()).ResidentMegabytes;
        var endHandles = server.OpenFileHandles;
        Console.WriteLine($"Soak — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores: {agents} agents (half /ws, half Streamable HTTP) for {elapsed.TotalMinutes:0.0} min, {result.Cycles:N0} connect/leave cycles");
        Console.WriteLine($"calls {result.Calls:N0} ({result.Calls / elapsed.TotalSeconds:N0}/s), errors {result.Errors}{(result.FirstErrors.Count > 0 ? $": {string.Join(" | ", result.FirstErrors)}" : "")}");
        Console.WriteLine($"resident memory after warm-up {warmMemory:F0} MiB, at the end {endMemory:F0} MiB ({(endMemory - warmMemory) / warmMemory:P0}; target within 20 %)");
        Console.WriteLine($"file handles after warm-up {warmHandles}, at the end {endHandles}; MCP sessions left {stats.GetProperty("mcpSessions").GetInt32()}, /ws connections left {stats.GetProperty("nativeConnections").GetInt32()}");
        var passed = result.Errors == 0 && endMemory <= warmMemory * 1.2 && endHandles <= warmHandles + 10
            && stats.GetProperty("mcpSessions").GetInt32() == 0 && stats.GetProperty("nativeConnections").GetInt32() == 0;
        Console.WriteLine(passed ? "soak: passed" : "soak: FAILED");
        return passed ? 0 : 1;
    }
}
