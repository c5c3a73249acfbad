using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// What stops a worker, and what keeps their number down: the timeout and cancel_task end the whole process tree
/// (a Bash tool's child included), the limit holds however many tasks are queued, and a missing executable fails
/// the attempt with a reason instead of looping.
/// </summary>
public sealed class ClaudeWorkerLimitTests
{
    private const string CompleteTask = "mcp__vibe-ensemble__complete_task";

    [Fact]
    public async Task Timeout_WorkerRunningABashChild_WholeTreeIsStoppedAndTheAttemptTimesOut()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var marker = Random.Shared.Next(100_000, 999_999);
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Call("Bash", new { command = $"echo waiting && sleep {marker}", description = "wait" }), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, allowedTools: ["Bash"]);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Sleep forever", ["project"] = "demo", ["timeoutSeconds"] = 4, ["maxAttempts"] = 1 }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        await WaitForProcessAsync(marker, present: true, cancellationToken);
        var failed = await harness.WaitForTaskAsync(taskId, "Failed", cancellationToken);
        var worker = Assert.Single(await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken));

        // Assert
        Assert.Contains("timed out", failed.GetProperty("waitingReason").GetString());
        Assert.Equal("Stopped", worker.GetProperty("state").GetString());
        Assert.Empty(Processes(marker));
        ClaudeWorkerTests.AssertNoProcessLeft(worker);
    }

    [Fact]
    public async Task WorkerSilentPastTheStallTime_IsPushedAsStalled()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var marker = Random.Shared.Next(100_000, 999_999);
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Call("Bash", new { command = $"echo waiting && sleep {marker}", description = "wait" }), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken,
            "--VibeEnsemble:Workers:StallAfter", "00:00:01", "--VibeEnsemble:Workers:ScheduleInterval", "00:00:00.5");
        await harness.SetUpProjectAsync(cancellationToken, allowedTools: ["Bash"]);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Go quiet", ["project"] = "demo" }, cancellationToken);
        var stalled = await harness.WaitForPushAsync("vibe/worker/updated",
            worker => worker.TryGetProperty("stalled", out var flag) && flag.GetBoolean(), cancellationToken);
        await harness.CallAsync("cancel_task", new() { ["taskId"] = created.GetProperty("id").GetString() }, cancellationToken);
        await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken);

        // Assert
        Assert.Equal(created.GetProperty("id").GetString(), stalled.GetProperty("taskId").GetString());
        Assert.Equal("Running", stalled.GetProperty("state").GetString());
        Assert.Empty(Processes(marker));
    }

    [Fact]
    public async Task CancelTask_WhileItsWorkerRuns_KillsTheTreeAndTheTaskStaysCancelled()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var marker = Random.Shared.Next(100_000, 999_999);
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Call("Bash", new { command = $"echo waiting && sleep {marker}", description = "wait" }), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, allowedTools: ["Bash"]);
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Sleep until cancelled", ["project"] = "demo" }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        await WaitForProcessAsync(marker, present: true, cancellationToken);

        // Act
        var cancelled = await harness.CallAsync("cancel_task", new() { ["taskId"] = taskId, ["reason"] = "changed my mind" }, cancellationToken);
        var worker = Assert.Single(await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken));
        var details = await harness.CallAsync("get_task", new() { ["taskId"] = taskId }, cancellationToken);

        // Assert
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("Cancelled", details.GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("Cancelled", Assert.Single(details.GetProperty("attempts").EnumerateArray()).GetProperty("outcome").GetString());
        Assert.Equal("Stopped", worker.GetProperty("state").GetString());
        Assert.Empty(Processes(marker));
    }

    [Fact]
    public async Task TenTasks_LimitTwo_NeverMoreThanTwoWorkersAtOnce_AndAllComplete()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request =>
            ScriptedModel.ToolResults(request).Any() ? ModelTurn.Say("ok") : ModelTurn.Call(CompleteTask, new { result = "done" }), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, maxConcurrentWorkers: 2);

        // Act
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var created = await harness.CallAsync("create_task", new() { ["title"] = $"Task {i}", ["project"] = "demo" }, cancellationToken);
            ids.Add(created.GetProperty("id").GetString()!);
        }

        foreach (var id in ids)
        {
            await harness.WaitForTaskAsync(id, "Completed", cancellationToken);
        }

        var workers = await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken, expected: 10);

        // Assert
        Assert.Equal(10, workers.Count);
        var spans = workers.Select(w => (Start: w.GetProperty("createdAt").GetDateTimeOffset(), End: w.GetProperty("exitedAt").GetDateTimeOffset())).ToList();
        var mostAtOnce = spans.Max(s => spans.Count(o => o.Start <= s.Start && o.End > s.Start));
        Assert.InRange(mostAtOnce, 1, 2);
    }

    [Fact]
    public async Task MissingExecutable_TaskFailsOnceWithAReasonNamingTheSetting()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Say("unused"), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken, "--VibeEnsemble:Workers:ClaudePath", "no-such-claude-cli");
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Cannot start", ["project"] = "demo" }, cancellationToken);
        var failed = await harness.WaitForTaskAsync(created.GetProperty("id").GetString()!, "Failed", cancellationToken);
        var worker = Assert.Single(await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken));

        // Assert
        Assert.Contains("'no-such-claude-cli' was not found on PATH", failed.GetProperty("waitingReason").GetString());
        Assert.Contains("VibeEnsemble:Workers:ClaudePath", failed.GetProperty("waitingReason").GetString());
        Assert.Equal(1, failed.GetProperty("attemptsUsed").GetInt32());
        Assert.Equal("Failed", worker.GetProperty("state").GetString());
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task UsageLimit_LongRetryAfter_ParksTaskAndProfile_InsteadOfRespawning()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Fail(429, retryAfterSeconds: 3 * 3600), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var first = await harness.CallAsync("create_task", new() { ["title"] = "Hit the limit", ["project"] = "demo" }, cancellationToken);
        var parked = await harness.WaitForTaskAsync(first.GetProperty("id").GetString()!, "WaitingForRetry", cancellationToken);
        var second = await harness.CallAsync("create_task", new() { ["title"] = "Queued behind it", ["project"] = "demo" }, cancellationToken);
        var held = await WaitForReasonAsync(harness, second.GetProperty("id").GetString()!, cancellationToken);
        var profile = (await harness.CallAsync("list_profiles", [], cancellationToken)).EnumerateArray().Single();
        var requests = model.Requests.Count;

        // Assert
        Assert.Contains("rate or usage limit", parked.GetProperty("waitingReason").GetString());
        Assert.True(parked.GetProperty("nextAttemptAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Contains("profile 'default' is parked until", held);
        Assert.True(profile.GetProperty("parkedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Single(await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken));
        Assert.Equal(requests, model.Requests.Count);
    }

    private static async Task<string> WaitForReasonAsync(WorkerHarness harness, string taskId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (true)
        {
            var task = (await harness.CallAsync("get_task", new() { ["taskId"] = taskId }, timeout.Token)).GetProperty("task");
            if (task.TryGetProperty("waitingReason", out var reason) && reason.GetString() is { } text)
            {
                return text;
            }

            // The reason is written by the scheduler's next pass; read again shortly.
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Processes whose command line carries <paramref name="marker"/> (e.g. a worker's <c>sleep</c>), zombies excluded.</summary>
    internal static List<int> Processes(int marker)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains($"sleep {marker}", StringComparison.Ordinal) && !File.ReadAllText(Path.Combine(directory, "stat")).Contains(") Z ", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return found;
    }

    private static async Task WaitForProcessAsync(int marker, bool present, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while ((Processes(marker).Count > 0) != present)
        {
            // A process appearing has no event to wait on; /proc is read again shortly.
            await Task.Delay(100, timeout.Token);
        }
    }
}
