using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Escalation and resolution on the real server: conflicts as a scan records them (written to the database the server
/// uses, so no two workers are needed here; ConflictScanBrowserTests drives the scan itself), escalated by the
/// recurring job after the configured time to the coordinator that planned the tasks, and each outcome's records.
/// </summary>
public sealed class ConflictResolutionTests
{
    [Fact]
    public async Task OpenConflicts_EscalateAfterTheTimeout_AndEachOutcomeLeavesTheExpectedRecords()
    {
        // Arrange: a coordinator planned two tasks; alpha and beta work on them; alpha holds the file.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken,
            "--VibeEnsemble:Conflicts:ScanInterval", "00:00:01", "--VibeEnsemble:Conflicts:EscalateAfter", "00:00:02",
            "--VibeEnsemble:Jobs:PollInterval", "00:00:00.3");
        await using var planner = await ConnectAsync(server, "planner", "coordinator", cancellationToken);
        await using var alpha = await ConnectAsync(server, "alpha", "agent", cancellationToken);
        await using var beta = await ConnectAsync(server, "beta", "agent", cancellationToken);
        var (alphaId, betaId) = (await IdOfAsync(alpha, "alpha", cancellationToken), await IdOfAsync(beta, "beta", cancellationToken));
        var t1 = Guid.Parse((await planner.CallSucceedingAsync("create_task", new() { ["title"] = "Refactor parser" }, cancellationToken)).GetProperty("id").GetString()!);
        var t2 = Guid.Parse((await planner.CallSucceedingAsync("create_task", new() { ["title"] = "Fix tokenizer" }, cancellationToken)).GetProperty("id").GetString()!);
        await alpha.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { "src/shared.cs" } }, cancellationToken);
        var a = new ConflictSide(alphaId, "alpha", t1, "Refactor parser", "vibe/aaaa1111");
        var b = new ConflictSide(betaId, "beta", t2, "Fix tokenizer", "vibe/bbbb2222");
        var yielded = await SeedAsync(data.Path, a, b, "src/shared.cs", cancellationToken);
        var merged = await SeedAsync(data.Path, b, a, "src/other.cs", cancellationToken);
        var dismissed = await SeedAsync(data.Path, new(alphaId, "alpha", t1, null, null), new(betaId, "beta", null, null, null), "src/shared.cs", cancellationToken);

        // Act: wait for the recurring job's escalation (about 2 s after they were recorded), then settle them.
        var escalation = await WaitForInboxAsync(planner, "Conflict escalated", 3, cancellationToken);
        var lateEscalation = await alpha.CallToolAsync("escalate", new Dictionary<string, object?> { ["conflictId"] = yielded.ToString() }, cancellationToken: cancellationToken);
        var firstYields = await planner.CallSucceedingAsync("resolve_conflict", new() { ["conflictId"] = yielded.ToString(), ["outcome"] = "first-yields", ["reason"] = "beta's fix is smaller" }, cancellationToken);
        var again = await planner.CallToolAsync("resolve_conflict", new Dictionary<string, object?> { ["conflictId"] = yielded.ToString(), ["outcome"] = "merge" }, cancellationToken: cancellationToken);
        var badOutcome = await planner.CallToolAsync("resolve_conflict", new Dictionary<string, object?> { ["conflictId"] = merged.ToString(), ["outcome"] = "coin-flip" }, cancellationToken: cancellationToken);
        await planner.CallSucceedingAsync("resolve_conflict", new() { ["conflictId"] = merged.ToString(), ["outcome"] = "merge" }, cancellationToken);
        using var http = server.CreateDashboardClient();
        using var overHttp = await http.PostAsJsonAsync($"/api/conflicts/{dismissed}/resolve", new { outcome = "dismiss", reason = "generated file" }, cancellationToken);
        var history = await planner.CallSucceedingAsync("list_conflicts", new() { ["state"] = "all" }, cancellationToken);
        var planning = await planner.CallSucceedingAsync("check_conflicts", new() { ["paths"] = new[] { "src/**" } }, cancellationToken);

        // Assert: escalated to the planner, with the facts and what to do.
        Assert.All(escalation, m => Assert.Equal("Urgent", m.GetProperty("importance").GetString()));
        Assert.Contains(escalation, m => m.GetProperty("body").GetString()!.Contains(yielded.ToString(), StringComparison.Ordinal)
            && m.GetProperty("body").GetString()!.Contains("resolve_conflict", StringComparison.Ordinal));
        Assert.True(lateEscalation.IsError);
        Assert.Contains("already escalated", McpCalls.Text(lateEscalation));
        // first-yields: recorded with who and why; alpha's reservation released, its task waits for beta's; both told.
        Assert.Equal(("FirstYields", "planner", "beta's fix is smaller", "Resolved"), (firstYields.GetProperty("outcome").GetString(),
            firstYields.GetProperty("resolvedBy").GetString(), firstYields.GetProperty("resolution").GetString(), firstYields.GetProperty("state").GetString()));
        Assert.Empty((await alpha.CallSucceedingAsync("list_reservations", new() { ["agent"] = "alpha" }, cancellationToken)).EnumerateArray());
        Assert.Contains(await InboxAsync(alpha, cancellationToken), m => m.GetProperty("body").GetString()!
            .Contains("you yield to beta (beta's fix is smaller): your reservations were released; your task now waits for beta's ('Fix tokenizer')", StringComparison.Ordinal));
        var requeued = (await planner.CallSucceedingAsync("get_task", new() { ["taskId"] = t1.ToString() }, cancellationToken)).GetProperty("task");
        Assert.Equal("Blocked", requeued.GetProperty("status").GetString());
        Assert.Equal([t2.ToString()], requeued.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains(await InboxAsync(beta, cancellationToken), m => m.GetProperty("body").GetString()!.Contains("alpha yields to you", StringComparison.Ordinal));
        Assert.True(again.IsError);
        Assert.Contains("already resolved by planner", McpCalls.Text(again));
        Assert.True(badOutcome.IsError);
        Assert.Contains("'outcome' must be first-yields, second-yields, merge or dismiss", McpCalls.Text(badOutcome));
        // merge: the coordinator gets the branches and the commands; dismiss over HTTP: by the person.
        var plannerInbox = await InboxAsync(planner, cancellationToken);
        Assert.Contains(plannerInbox, m => m.GetProperty("body").GetString()!.Contains("git merge --no-ff vibe/bbbb2222, then git merge --no-ff vibe/aaaa1111", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.OK, overHttp.StatusCode);
        var byId = history.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(("Merge", "Resolved"), (byId[merged.ToString()].GetProperty("outcome").GetString(), byId[merged.ToString()].GetProperty("state").GetString()));
        Assert.Equal(("Dismissed", "a person", "generated file"), (byId[dismissed.ToString()].GetProperty("state").GetString(),
            byId[dismissed.ToString()].GetProperty("resolvedBy").GetString(), byId[dismissed.ToString()].GetProperty("resolution").GetString()));
        // Planning sees the hot spots: src/shared.cs conflicted twice, src/other.cs once.
        Assert.Equal([("src/shared.cs", 2), ("src/other.cs", 1)], planning.GetProperty("hotSpots").EnumerateArray()
            .Select(h => (h.GetProperty("path").GetString(), h.GetProperty("conflicts").GetInt32())));
        // The same file conflicting again: a knowledge entry is proposed to the coordinator.
        Assert.Contains(plannerInbox, m => m.GetProperty("subject").GetString()!.StartsWith("Knowledge proposed: src/shared.cs", StringComparison.Ordinal));
    }

    private static async Task<Guid> SeedAsync(string dataDirectory, ConflictSide first, ConflictSide second, string file, CancellationToken cancellationToken)
    {
        await using var db = TestDatabase.Open(TestDatabase.PathIn(dataDirectory));
        var conflict = Conflict.Detect(null, ConflictKind.Overlap, first, second, ConflictSeverity.High, [file], $"both changed line 3 of {file}", DateTimeOffset.UtcNow);
        db.Conflicts.Add(conflict);
        await db.SaveChangesAsync(cancellationToken);
        return conflict.Id;
    }

    private static async Task<McpClient> ConnectAsync(ServerProcess server, string name, string role, CancellationToken cancellationToken)
    {
        var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(server.AgentUrl, $"/mcp?role={role}"), Name = name }), cancellationToken: cancellationToken);
        await client.CallSucceedingAsync("register_agent", new() { ["name"] = name }, cancellationToken);
        return client;
    }

    private static async Task<Guid> IdOfAsync(McpClient client, string name, CancellationToken cancellationToken) =>
        Guid.Parse((await client.CallSucceedingAsync("list_agents", new(), cancellationToken)).EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == name).GetProperty("id").GetString()!);

    private static async Task<List<JsonElement>> InboxAsync(McpClient client, CancellationToken cancellationToken) =>
        [.. (await client.CallSucceedingAsync("check_inbox", new() { ["unreadOnly"] = false, ["limit"] = 200 }, cancellationToken)).EnumerateArray()];

    /// <summary>Long-polls the inbox (wait_for_messages returns as soon as one arrives) until <paramref name="count"/> matching messages came.</summary>
    private static async Task<List<JsonElement>> WaitForInboxAsync(McpClient client, string subject, int count, CancellationToken cancellationToken)
    {
        var found = new List<JsonElement>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (found.Count < count)
        {
            var batch = await client.CallSucceedingAsync("wait_for_messages", new() { ["waitSeconds"] = 10 }, timeout.Token);
            found.AddRange(batch.EnumerateArray().Where(m => m.GetProperty("subject").GetString()!.StartsWith(subject, StringComparison.Ordinal)));
        }

        return found;
    }
}
