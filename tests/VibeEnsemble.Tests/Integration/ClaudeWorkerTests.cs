using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Real headless Claude Code (the version pinned in tests/js) spawned by the real server, talking to a scripted
/// model on loopback: the server writes the prompt, the model calls our tools through the worker's own MCP session,
/// and the server reads the stream, settles the attempt and cleans up.
/// </summary>
public sealed class ClaudeWorkerTests
{
    private const string CompleteTask = "mcp__vibe-ensemble__complete_task";
    private const string FailTask = "mcp__vibe-ensemble__fail_task";

    [Fact]
    public async Task CreateTask_NoConnectedAgent_SpawnsClaudeWhichCompletesItThroughOurTools()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request =>
            ScriptedModel.ToolResults(request).Any()
                ? ModelTurn.Say("Reported; nothing else to do.")
                : ModelTurn.Call(CompleteTask, new { result = "Parser written: src/Parser.cs" }), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new()
        {
            ["title"] = "Write the parser", ["description"] = "Tokens first; marker 7f3c.", ["project"] = "demo",
        }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        var completed = await harness.WaitForTaskAsync(taskId, "Completed", cancellationToken);
        var workers = await WaitForWorkersToEndAsync(harness, cancellationToken);
        var worker = Assert.Single(workers);
        var output = await harness.CallAsync("get_worker_output", new() { ["workerId"] = worker.GetProperty("id").GetString() }, cancellationToken);
        var details = await harness.CallAsync("get_task", new() { ["taskId"] = taskId }, cancellationToken);

        // Assert
        Assert.Equal("Parser written: src/Parser.cs", completed.GetProperty("result").GetString());
        Assert.True(details.GetProperty("costUsd").GetDecimal() > 0, "the cost Claude Code reported is summed on the task");
        var firstRequest = ScriptedModel.Text(model.Requests.First());
        Assert.Contains("Write the parser", firstRequest);
        Assert.Contains("marker 7f3c", firstRequest);
        Assert.Contains("Never touch main.", firstRequest);
        Assert.Contains(CompleteTask, firstRequest);
        // A worker is offered its own tools only.
        Assert.DoesNotContain("mcp__vibe-ensemble__create_task", firstRequest);
        Assert.Equal("Exited", worker.GetProperty("state").GetString());
        Assert.Equal(0, worker.GetProperty("exitCode").GetInt32());
        var kinds = output.EnumerateArray().Select(l => l.GetProperty("kind").GetString()).ToList();
        Assert.Contains("Init", kinds);
        Assert.Contains("ToolUse", kinds);
        Assert.Equal("Result", kinds.Last(k => k != "stderr"));
        Assert.Contains(output.EnumerateArray(), l => l.GetProperty("text").GetString()!.Contains("vibe-ensemble=connected", StringComparison.Ordinal));
        AssertNoProcessLeft(worker);
    }

    [Fact]
    public async Task Worker_FirstAttemptFailsThenSecondSucceeds_BothAttemptsRecordedWithTheFailureReason()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var attempt = 0;
        await using var model = await ScriptedModel.StartAsync(request =>
        {
            if (ScriptedModel.ToolResults(request).Any())
            {
                return ModelTurn.Say("Done.");
            }

            return Interlocked.Increment(ref attempt) == 1
                ? ModelTurn.Call(FailTask, new { reason = "the build server was down", retryable = true })
                : ModelTurn.Call(CompleteTask, new { result = "built on the second try" });
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Build it", ["project"] = "demo" }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        await harness.WaitForTaskAsync(taskId, "Completed", cancellationToken);
        var details = await harness.CallAsync("get_task", new() { ["taskId"] = taskId }, cancellationToken);

        // Assert
        var attempts = details.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(("Failed", "the build server was down"), (attempts[0].GetProperty("outcome").GetString(), attempts[0].GetProperty("reason").GetString()));
        Assert.Equal("Succeeded", attempts[1].GetProperty("outcome").GetString());
        Assert.NotEqual(attempts[0].GetProperty("workerId").GetString(), attempts[1].GetProperty("workerId").GetString());
        Assert.Equal("built on the second try", details.GetProperty("task").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Worker_EndsWithAHugeFinalTextAndNoReport_TaskCompletesWithItsBoundedHead_AndTheWholeTextIsKept()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var huge = "BEGIN " + new string('x', 300_000) + " END";
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Say(huge), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Say a lot", ["project"] = "demo" }, cancellationToken);
        var completed = await harness.WaitForTaskAsync(created.GetProperty("id").GetString()!, "Completed", cancellationToken);
        var worker = Assert.Single(await WaitForWorkersToEndAsync(harness, cancellationToken));
        var output = await harness.CallAsync("get_worker_output", new() { ["workerId"] = worker.GetProperty("id").GetString() }, cancellationToken);

        // Assert
        var result = completed.GetProperty("result").GetString()!;
        Assert.StartsWith("BEGIN xxx", result);
        Assert.InRange(result.Length, 90_000, 100_000);
        Assert.Contains("the whole text is in the worker's output", result);
        var folder = Path.Combine(harness.DataPath, "output", worker.GetProperty("id").GetString()!.Replace("-", ""));
        var kept = Directory.GetFiles(folder).Select(File.ReadAllText).ToList();
        Assert.Contains(kept, text => text.Contains(huge, StringComparison.Ordinal));
        Assert.All(output.EnumerateArray(), line => Assert.True(line.GetProperty("text").GetString()!.Length < 40_000));
    }

    [Fact]
    public async Task WorktreeTask_WorkerWritesAFile_ItIsCommittedToTheTasksBranch_AndTheWorktreeRemoved()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) switch
        {
            0 => ModelTurn.Call("Write", new { file_path = "NOTES.md", content = "# Parser notes\n" }),
            1 => ModelTurn.Call(CompleteTask, new { result = "notes written" }),
            _ => ModelTurn.Say("Done."),
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await Git(harness.Project.Path, "init", "--quiet", "--initial-branch", "main");
        await File.WriteAllTextAsync(harness.Project.File("README.md"), "demo\n", cancellationToken);
        await Git(harness.Project.Path, "add", ".");
        await Git(harness.Project.Path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "initial");
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Write notes", ["project"] = "demo", ["isolation"] = "worktree" }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        await harness.WaitForTaskAsync(taskId, "Completed", cancellationToken);
        var worker = Assert.Single(await WaitForWorkersToEndAsync(harness, cancellationToken));
        var task = (await harness.CallAsync("get_task", new() { ["taskId"] = taskId }, cancellationToken)).GetProperty("task");
        var branch = task.GetProperty("branch").GetString()!;
        var committed = await Git(harness.Project.Path, "show", $"{branch}:NOTES.md");

        // Assert
        Assert.Equal($"vibe/{taskId.Replace("-", "")[^8..]}", branch);
        Assert.Equal(["NOTES.md"], task.GetProperty("changedFiles").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("# Parser notes\n", committed);
        Assert.False(File.Exists(harness.Project.File("NOTES.md")), "the project's own checkout is untouched");
        Assert.False(Directory.Exists(worker.GetProperty("workingDirectory").GetString()), "the worktree is removed");
        Assert.Contains($"branch {branch} kept", worker.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Worker_RefusedATool_TheDenialIsRecordedWithTheWorker()
    {
        // Arrange: the permission policy denies sudo (a shipped rule), and headless Claude Code records the refusal.
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) switch
        {
            0 => ModelTurn.Call("Bash", new { command = "sudo curl https://example.com", description = "fetch" }),
            1 => ModelTurn.Call(CompleteTask, new { result = "done without the network" }),
            _ => ModelTurn.Say("Done."),
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Try the network", ["project"] = "demo" }, cancellationToken);
        await harness.WaitForTaskAsync(created.GetProperty("id").GetString()!, "Completed", cancellationToken);
        var worker = Assert.Single(await WaitForWorkersToEndAsync(harness, cancellationToken));

        // Assert
        Assert.Contains("1 tool call was denied (Bash)", worker.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task WorktreeTask_ProjectIsNotAGitRepository_IsRefusedAtCreation()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(_ => ModelTurn.Say("unused"), cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var refused = await harness.Coordinator.CallToolAsync("create_task",
            new Dictionary<string, object?> { ["title"] = "Isolated", ["project"] = "demo", ["isolation"] = "worktree" }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(refused.IsError);
        Assert.Contains("is not a git repository", string.Concat(refused.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)));
    }

    private static async Task<string> Git(string directory, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", arguments, directory, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }

    /// <summary>Workers end just after their task settles (the session still prints its final result).</summary>
    internal static async Task<List<JsonElement>> WaitForWorkersToEndAsync(WorkerHarness harness, CancellationToken cancellationToken, int expected = 1)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (true)
        {
            var workers = (await harness.CallAsync("list_workers", [], timeout.Token)).EnumerateArray().ToList();
            if (workers.Count >= expected && workers.All(w => w.GetProperty("state").GetString() is "Exited" or "Failed" or "Stopped"))
            {
                return workers;
            }

            // The worker list has no push of its own in this harness; a short wait between reads is the honest way.
            await Task.Delay(100, timeout.Token);
        }
    }

    internal static void AssertNoProcessLeft(JsonElement worker)
    {
        var pid = worker.GetProperty("processId").GetInt32();
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal),
            $"process {pid} is still running");
    }
}
