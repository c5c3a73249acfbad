using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Real headless Claude Code asks our <c>approve_permission</c> tool about every tool call its settings do not allow
/// (<c>--permission-prompt-tool</c>): a rule allows or denies at once, anything else waits for a decision.
/// </summary>
public sealed class ClaudePermissionTests
{
    private const string Bash = "Bash";
    private const string CompleteTask = "mcp__vibe-ensemble__complete_task";
    private const string FailTask = "mcp__vibe-ensemble__fail_task";

    [Fact]
    public async Task Worker_AllowedDeniedAndAskedCalls_RunRefuseAndWaitForTheEditedDecision()
    {
        // Arrange: allowed, denied by the default rule for sudo, then one no rule covers; then report.
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) switch
        {
            0 => ModelTurn.Call(Bash, new { command = "touch allowed.txt", description = "allowed by a rule" }),
            1 => ModelTurn.Call(Bash, new { command = "sudo touch /root/nope", description = "denied by a rule" }),
            2 => ModelTurn.Call(Bash, new { command = "touch asked.txt", description = "asked" }),
            3 => ModelTurn.Call(CompleteTask, new { result = "three calls made" }),
            _ => ModelTurn.Say("Done."),
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, permissionMode: "default");
        using var api = harness.Server.CreateDashboardClient();
        var rule = await api.PostAsJsonAsync("/api/permissions/rules",
            new { scope = "project", scopeName = "demo", toolPattern = "Bash", argumentPattern = "touch allowed.txt", action = "allow" }, cancellationToken);
        rule.EnsureSuccessStatusCode();

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Touch files", ["project"] = "demo" }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        var asked = await harness.WaitForPushAsync("vibe/permission/requested", _ => true, cancellationToken);
        var decided = await harness.CallAsync("decide_permission", new()
        {
            ["requestId"] = asked.GetProperty("id").GetString(), ["approve"] = true,
            ["updatedInput"] = new { command = "touch edited.txt", description = "edited by the coordinator" },
        }, cancellationToken);
        await harness.WaitForTaskAsync(taskId, "Completed", cancellationToken);
        var again = await harness.Coordinator.CallToolAsync("decide_permission",
            new Dictionary<string, object?> { ["requestId"] = asked.GetProperty("id").GetString(), ["approve"] = false }, cancellationToken: cancellationToken);
        var audit = await harness.CallAsync("list_permission_requests", new() { ["state"] = "Approved", ["taskId"] = taskId }, cancellationToken);

        // Assert
        Assert.True(File.Exists(Path.Combine(harness.Project.Path, "allowed.txt")), "the allowed call ran");
        Assert.Equal("touch asked.txt", JsonDocument.Parse(asked.GetProperty("input").GetString()!).RootElement.GetProperty("command").GetString());
        Assert.True(File.Exists(Path.Combine(harness.Project.Path, "edited.txt")), "the asked call ran with the edited input");
        Assert.False(File.Exists(Path.Combine(harness.Project.Path, "asked.txt")));
        Assert.Equal("Approved", decided.GetProperty("state").GetString());
        var denial = ScriptedModel.ToolResults(model.Requests.First(r => ScriptedModel.ToolResultCount(r) == 2)).Single();
        Assert.Contains("Denied by the Vibe Ensemble permission policy", denial);
        Assert.Contains("sudo", denial);
        Assert.True(again.IsError, "a second decision is refused");
        Assert.Contains("already approved", McpCalls.Text(again));
        var decisions = audit.EnumerateArray().Select(r => (r.GetProperty("decidedBy").GetString(), JsonDocument.Parse(r.GetProperty("input").GetString()!).RootElement.GetProperty("command").GetString())).ToList();
        Assert.Contains(("rule", "touch allowed.txt"), decisions);
        Assert.Contains(decisions, d => d.Item2 == "touch asked.txt" && d.Item1 != "rule");
    }

    [Fact]
    public async Task Worker_AskedCallNobodyAnswers_IsDeniedAfterTheTimeoutAndTheTaskSaysWhy()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) switch
        {
            0 => ModelTurn.Call(Bash, new { command = "touch nobody-answers.txt", description = "asked" }),
            1 => ModelTurn.Call(FailTask, new { reason = "blocked: needs permission to touch a file", retryable = false }),
            _ => ModelTurn.Say("Reported."),
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken, "--VibeEnsemble:Permissions:AskTimeout", "00:00:02");
        await harness.SetUpProjectAsync(cancellationToken, permissionMode: "default");

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Needs a yes", ["project"] = "demo" }, cancellationToken);
        var taskId = created.GetProperty("id").GetString()!;
        var failed = await harness.WaitForTaskAsync(taskId, "Failed", cancellationToken);
        var expired = await harness.CallAsync("list_permission_requests", new() { ["state"] = "Expired", ["taskId"] = taskId }, cancellationToken);

        // Assert
        var toolResult = ScriptedModel.ToolResults(model.Requests.First(r => ScriptedModel.ToolResultCount(r) == 1)).Single();
        Assert.Contains("no one answered within 2 s", toolResult);
        Assert.Contains("fail_task", toolResult);
        Assert.Contains("was not answered within 2 s", failed.GetProperty("progress").GetString());
        Assert.Equal("timeout", Assert.Single(expired.EnumerateArray()).GetProperty("decidedBy").GetString());
        Assert.False(File.Exists(Path.Combine(harness.Project.Path, "nobody-answers.txt")));
    }
}
