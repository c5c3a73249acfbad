using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// The server dies (SIGKILL) with workers running and tasks queued, and is started again on the same data: every
/// task still completes exactly once, and no worker from before is left running.
/// </summary>
public sealed class WorkerCrashTests
{
    private const int TaskCount = 50;

    [Fact]
    public async Task ServerKilledMidway_Restarted_EveryTaskCompletesOnce_AndNoWorkerIsLeft()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var logDirectory = new TempDirectory();
        var log = logDirectory.File("completions.log");
        var quickWorker = Path.Combine(RepoPaths.JsDirectory, "clients", "quick-worker.mjs");
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Say("unused"), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken,
            "--VibeEnsemble:Workers:ClaudePath", quickWorker,
            "--VibeEnsemble:Workers:Environment:QUICK_WORKER_LOG", log);
        await harness.SetUpProjectAsync(cancellationToken);
        var ids = new List<string>();
        for (var i = 0; i < TaskCount; i++)
        {
            var created = await harness.CallAsync("create_task", new() { ["title"] = $"Quick {i}", ["project"] = "demo", ["maxAttempts"] = 5 }, cancellationToken);
            ids.Add(created.GetProperty("id").GetString()!);
        }

        await WaitForCompletionsAsync(log, TaskCount / 4, cancellationToken);

        // Act
        await harness.CrashAndRestartAsync(cancellationToken);
        foreach (var id in ids)
        {
            await harness.WaitForTaskAsync(id, "Completed", cancellationToken);
        }

        await ClaudeWorkerTests.WaitForWorkersToEndAsync(harness, cancellationToken, expected: TaskCount);

        // Assert
        // A worker logs a completion once the server has accepted it; one whose reply was cut off by the crash does
        // not log it, but no task may ever be accepted twice.
        var completions = File.ReadAllLines(log);
        Assert.Equal(completions.Length, completions.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), completions.ToHashSet());
        Assert.InRange(completions.Length, TaskCount - 4, TaskCount);
        var interrupted = 0;
        foreach (var id in ids)
        {
            var attempts = (await harness.CallAsync("get_task", new() { ["taskId"] = id }, cancellationToken)).GetProperty("attempts").EnumerateArray().ToList();
            Assert.Single(attempts, a => a.GetProperty("outcome").GetString() == "Succeeded");
            interrupted += attempts.Count(a => a.GetProperty("outcome").GetString() == "Interrupted");
        }

        // Four workers run at any moment, so the crash caught some of them: they were settled at the restart.
        Assert.InRange(interrupted, 1, 4);

        Assert.Empty(WorkerProcessesOf(harness.DataPath));
    }

    private static async Task WaitForCompletionsAsync(string log, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (!File.Exists(log) || File.ReadAllLines(log).Length < count)
        {
            // Written by worker processes; there is nothing to wait on but the file.
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Live processes whose command line names a config under this server's data directory.</summary>
    private static List<int> WorkerProcessesOf(string dataDirectory)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid)
                    && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(dataDirectory, StringComparison.Ordinal)
                    && !File.ReadAllText(Path.Combine(directory, "stat")).Contains(") Z ", StringComparison.Ordinal)
                    && !File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("VibeEnsemble.Web.dll", StringComparison.Ordinal))
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
}
