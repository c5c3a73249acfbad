using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// A message to a running Claude Code worker is written into its session as a user turn: the model reads it mid-task
/// in its next request, without polling its inbox.
/// </summary>
public sealed class ClaudeWorkerMessageTests
{
    private const string Marker = "use the v2 endpoint, marker 5e1f";

    [Fact]
    public async Task MessageToARunningWorker_ReachesTheModelMidTask()
    {
        // Arrange: the worker is busy in a shell command while the message is sent; it reports what it heard.
        var cancellationToken = TestContext.Current.CancellationToken;
        var reported = 0;
        await using var model = await ScriptedModel.StartAsync(request =>
        {
            if (!ScriptedModel.Text(request).Contains("marker 5e1f", StringComparison.Ordinal))
            {
                return ScriptedModel.ToolResultCount(request) == 0
                    ? ModelTurn.Call("Bash", new { command = "echo busy && sleep 6", description = "long step" })
                    : ModelTurn.Say("Finished without hearing anything.");
            }

            // Heard it: report once, then end the turn.
            return Interlocked.Exchange(ref reported, 1) == 0
                ? ModelTurn.Call("mcp__vibe-ensemble__complete_task", new { result = "heard: " + Marker })
                : ModelTurn.Say("Done.");
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, allowedTools: ["Bash"]);
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Call the API", ["project"] = "demo" }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        await harness.WaitForTaskAsync(taskId, "Running", cancellationToken);
        var workerAgent = await WaitForWorkerAgentAsync(harness, cancellationToken);

        // Act
        await harness.CallAsync("send_message", new() { ["to"] = workerAgent, ["body"] = Marker, ["subject"] = "change of plan" }, cancellationToken);
        var completed = await harness.WaitForTaskAsync(taskId, "Completed", cancellationToken);

        // Assert
        Assert.Equal("heard: " + Marker, completed.GetProperty("result").GetString());
        Assert.Contains(model.Requests, r => ScriptedModel.Text(r).Contains("change of plan", StringComparison.Ordinal));
    }

    /// <summary>The running worker's agent name, from the agent list (documented polling: a worker's agent has no push of its own here).</summary>
    private static async Task<string> WaitForWorkerAgentAsync(WorkerHarness harness, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            var agents = await harness.CallAsync("list_agents", new() { ["status"] = "Online" }, cancellationToken);
            if (agents.EnumerateArray().FirstOrDefault(a => a.GetProperty("transport").GetString() == "worker") is { ValueKind: JsonValueKind.Object } worker)
            {
                return worker.GetProperty("name").GetString()!;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException("No worker agent came online.");
    }
}
