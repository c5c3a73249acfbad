using Microsoft.Data.Sqlite;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Hangfire on its SQLite storage carries the must-survive-a-restart schedule: a task parked behind a usage limit has
/// a wake-up job at its time, and that job (and the recurring sweep) is still there after the server is killed and
/// started again. Its console is served at /hangfire on the dashboard port.
/// </summary>
public sealed class HangfireJobsTests
{
    [Fact]
    public async Task ParkedTask_HasAScheduledWakeUp_ThatSurvivesAKilledServer()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Say("unused"), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken,
            "--VibeEnsemble:Workers:ClaudePath", Path.Combine(RepoPaths.JsDirectory, "clients", "quick-worker.mjs"),
            "--VibeEnsemble:Workers:Environment:QUICK_WORKER_MODE", "usage-limit");
        await harness.SetUpProjectAsync(cancellationToken);
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Parked", ["project"] = "demo" }, cancellationToken);
        var parked = await harness.WaitForTaskAsync(created.GetProperty("id").GetString()!, "WaitingForRetry", cancellationToken);
        var before = await ScheduledPageAsync(harness, cancellationToken);

        // Act
        await harness.CrashAndRestartAsync(cancellationToken);
        var after = await ScheduledPageAsync(harness, cancellationToken, waitForJob: false);
        using var dashboard = harness.Server.CreateDashboardClient();
        var recurring = await dashboard.GetStringAsync("/hangfire/recurring", cancellationToken);

        // Assert
        Assert.True(parked.GetProperty("nextAttemptAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Contains("CoordinationJobs.ReleaseDueAsync", before);
        Assert.Contains("CoordinationJobs.ReleaseDueAsync", after);
        Assert.Contains("coordination-sweep", recurring);
        Assert.True(File.Exists(Path.Combine(harness.DataPath, "hangfire.db")));
    }

    [Fact]
    public async Task ManyAgentsLeavingTogether_ScheduleOneLeaseEndSweep_NotOnePerAgent()
    {
        // Arrange
        const int agents = 30;
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var observer = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        var leaving = new List<NativeRpcClient>();
        for (var i = 0; i < agents; i++)
        {
            var client = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
            leaving.Add(client);
            await client.RegisterAsync($"leaver-{i}", ["c#"], cancellationToken);
        }

        // Act
        await Task.WhenAll(leaving.Select(c => c.DisposeAsync().AsTask()));
        var left = new List<AgentDto>();
        for (var i = 0; i < agents; i++)
        {
            left.Add(await observer.WaitForNotificationAsync("vibe/agent/offline", a => a.Name.StartsWith("leaver-", StringComparison.Ordinal), cancellationToken));
        }

        // Wake-ups are scheduled just after the changes are published; one per agent would all be there by now.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var sweeps = await ScheduledSweepsAsync(Path.Combine(data.Path, "hangfire.db"), cancellationToken);

        // Assert: a lease ends a fixed time after an agent was last seen, so one sweep per distinct second of those.
        var seconds = left.Select(a => a.LastSeenAt.ToUnixTimeSeconds()).Distinct().Count();
        Assert.True(seconds < agents, $"the agents were last seen in {seconds} distinct seconds, too spread to tell");
        Assert.Equal(seconds, sweeps);
    }

    private static async Task<long> ScheduledSweepsAsync(string hangfireDatabase, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={hangfireDatabase};Mode=ReadOnly");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Job WHERE StateName = 'Scheduled' AND InvocationData LIKE '%\"Method\":\"SweepAsync\"%'";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The scheduled-jobs page; with <paramref name="waitForJob"/>, read again until the wake-up shows, since it is
    /// scheduled just after the task's change is published.
    /// </summary>
    private static async Task<string> ScheduledPageAsync(WorkerHarness harness, CancellationToken cancellationToken, bool waitForJob = true)
    {
        using var dashboard = harness.Server.CreateDashboardClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (true)
        {
            var page = await dashboard.GetStringAsync("/hangfire/jobs/scheduled", timeout.Token);
            if (!waitForJob || page.Contains("CoordinationJobs.ReleaseDueAsync", StringComparison.Ordinal))
            {
                return page;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
