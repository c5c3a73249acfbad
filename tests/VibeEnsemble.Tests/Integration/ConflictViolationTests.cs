using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>A real worker changing a file another agent holds exclusively, without a reservation of its own: a violation.</summary>
public sealed class ConflictViolationTests
{
    [Theory]
    [InlineData("worktree")]
    [InlineData("shared")]
    public async Task WorkerChangesAFileAnotherHolds_ScanRecordsAViolation_AndTellsBoth(string isolation)
    {
        // Arrange: "lead" holds shared.txt; the worker rewrites it, then waits until the test has seen the violation.
        // lead also holds notes.txt, which the person had changed in the project's directory before the worker started:
        // not the worker's doing, so not part of the violation.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var seen = new ManualResetEventSlim();
        await using var model = await ScriptedModel.StartAsync(request =>
        {
            if (request["tools"] is not System.Text.Json.Nodes.JsonArray { Count: > 0 })
            {
                return ModelTurn.Say("Done.");
            }

            switch (ScriptedModel.ToolResultCount(request))
            {
                case 0:
                    return ModelTurn.Call("Bash", new { command = "printf 'rewritten\\n' > shared.txt", description = "edit" });
                case 1:
                    seen.Wait(TestConstants.DefaultTimeout, cancellationToken);
                    return ModelTurn.Call("mcp__vibe-ensemble__complete_task", new { result = "edited" });
                default:
                    return ModelTurn.Say("Done.");
            }
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken, "--VibeEnsemble:Conflicts:ScanInterval", "00:00:01");
        await GitRepository.InitAsync(harness.Project.Path, ("shared.txt", "original\n"), ("notes.txt", "mine\n"));
        await File.WriteAllTextAsync(harness.Project.File("notes.txt"), "mine, edited by the person\n", cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, allowedTools: ["Bash"]);
        await using var lead = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(harness.Server.AgentUrl, "/mcp?role=agent"), Name = "lead" }), cancellationToken: cancellationToken);
        await lead.CallSucceedingAsync("register_agent", new() { ["name"] = "lead" }, cancellationToken);
        await lead.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { "shared.txt", "notes.txt" }, ["project"] = "demo", ["reason"] = "release notes" }, cancellationToken);

        // Act
        var task = await harness.CallAsync("create_task", new() { ["title"] = "Rewrite it", ["project"] = "demo", ["isolation"] = isolation }, cancellationToken);
        var pushed = await harness.WaitForPushAsync("vibe/conflict/detect", p => p.GetProperty("conflict").GetProperty("kind").GetString() == "Violation", cancellationToken);
        var leadInbox = await lead.CallSucceedingAsync("wait_for_messages", new() { ["waitSeconds"] = 20 }, cancellationToken);
        seen.Set();
        await harness.WaitForTaskAsync(task.GetProperty("id").GetString()!, "Completed", cancellationToken);
        var messages = await harness.Server.GetJsonAsync<JsonElement>("/api/messages?limit=50", cancellationToken);

        // Assert
        var conflict = pushed.GetProperty("conflict");
        Assert.Equal(("lead", "Rewrite it"), (conflict.GetProperty("first").GetProperty("agentName").GetString(), conflict.GetProperty("second").GetProperty("taskTitle").GetString()));
        Assert.Equal(["shared.txt"], conflict.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("holds shared.txt exclusively (release notes", conflict.GetProperty("detail").GetString());
        Assert.Contains(leadInbox.EnumerateArray(), m => m.GetProperty("subject").GetString()!.StartsWith("Conflict (medium): shared.txt", StringComparison.Ordinal));
        var worker = conflict.GetProperty("second").GetProperty("agentName").GetString();
        Assert.Contains(messages.EnumerateArray(), m => m.GetProperty("to").GetString() == worker
            && m.GetProperty("body").GetString()!.StartsWith("You changed files lead holds exclusively", StringComparison.Ordinal));
    }
}
