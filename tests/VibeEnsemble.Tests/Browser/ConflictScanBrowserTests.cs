using System.Text.Json;
using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// The observed-conflict loop end to end: two real Claude Code workers in two git worktrees of one repository change
/// the same line; the recurring scan records the conflict, both agents are told, /ws and the Conflicts page (in
/// chromium) show it live with both sides' lines, and the person dismisses it there.
/// </summary>
public sealed class ConflictScanBrowserTests
{
    private const string CompleteTask = "mcp__vibe-ensemble__complete_task";

    [Fact]
    public async Task TwoWorkersChangeTheSameLine_ScanRecordsIt_BothAreWarned_AndThePersonResolvesItOnThePage()
    {
        // Arrange: each worker rewrites line 2 of shared.txt, then waits (in its next model turn) until the test has
        // seen the conflict, so both worktrees exist while the scans run.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var seen = new ManualResetEventSlim();
        await using var model = await ScriptedModel.StartAsync(request =>
        {
            if (request["tools"] is not System.Text.Json.Nodes.JsonArray { Count: > 0 })
            {
                return ModelTurn.Say("Done.");
            }

            var who = ScriptedModel.Text(request).Contains("Task alpha", StringComparison.Ordinal) ? "alpha" : "beta";
            switch (ScriptedModel.ToolResultCount(request))
            {
                case 0:
                    return ModelTurn.Call("Bash", new { command = $"printf 'one\\nTWO by {who}\\nthree\\n' > shared.txt", description = "edit line 2" });
                case 1:
                    seen.Wait(TestConstants.DefaultTimeout, cancellationToken);
                    return ModelTurn.Call(CompleteTask, new { result = "edited" });
                default:
                    return ModelTurn.Say("Done.");
            }
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken, "--VibeEnsemble:Conflicts:ScanInterval", "00:00:01");
        await GitRepository.InitAsync(harness.Project.Path, ("shared.txt", "one\ntwo\nthree\n"));
        await harness.SetUpProjectAsync(cancellationToken, allowedTools: ["Bash"]);
        await using var dashboard = await DashboardBrowser.OpenAsync(harness.Server, "/conflicts");
        var page = dashboard.Page;
        await Assertions.Expect(page.GetByTestId("no-conflicts")).ToBeVisibleAsync(new() { Timeout = DashboardBrowser.Timeout });

        // Act
        var alpha = await harness.CallAsync("create_task", new() { ["title"] = "Task alpha", ["project"] = "demo", ["isolation"] = "worktree" }, cancellationToken);
        var beta = await harness.CallAsync("create_task", new() { ["title"] = "Task beta", ["project"] = "demo", ["isolation"] = "worktree" }, cancellationToken);
        var pushed = await harness.WaitForPushAsync("vibe/conflict/detect",
            p => p.GetProperty("conflict").GetProperty("severity").GetString() == "High", cancellationToken);

        // Assert: recorded, pushed and shown live (the page was open before), with both sides' version of line 2.
        var conflict = pushed.GetProperty("conflict");
        Assert.Equal(["shared.txt"], conflict.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["Task alpha", "Task beta"], new[] { conflict.GetProperty("first"), conflict.GetProperty("second") }
            .Select(s => s.GetProperty("taskTitle").GetString()).Order());
        var card = page.GetByTestId("conflict-card");
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(card.GetByTestId("conflict-severity")).ToHaveTextAsync("High");
        await Assertions.Expect(card.GetByTestId("conflict-hunks")).ToContainTextAsync("+TWO by alpha");
        await Assertions.Expect(card.GetByTestId("conflict-hunks")).ToContainTextAsync("+TWO by beta");
        await Assertions.Expect(page.GetByTestId("conflicts-badge")).ToHaveTextAsync("1");
        var workerNames = new[] { conflict.GetProperty("first"), conflict.GetProperty("second") }.Select(s => s.GetProperty("agentName").GetString()).ToList();
        var warned = await harness.Server.GetJsonAsync<JsonElement>("/api/messages?limit=50", cancellationToken);
        Assert.Equal(workerNames.Order(), warned.EnumerateArray()
            .Where(m => m.GetProperty("subject").GetString()!.StartsWith("Conflict (high): shared.txt", StringComparison.Ordinal))
            .Select(m => m.GetProperty("to").GetString()).Order());
        await dashboard.ScreenshotAsync("conflicts-page.png");

        // Act: the person dismisses it on the page.
        await card.GetByTestId("conflict-reason").FillAsync("both are throwaway edits");
        await card.GetByTestId("conflict-dismiss").ClickAsync();

        // Assert
        await Assertions.Expect(page.GetByTestId("no-conflicts")).ToBeVisibleAsync(new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(page.GetByTestId("history-table")).ToContainTextAsync("both are throwaway edits");
        await Assertions.Expect(page.GetByTestId("hot-spots-table")).ToContainTextAsync("shared.txt");
        var history = await harness.CallAsync("list_conflicts", new() { ["state"] = "dismissed" }, cancellationToken);
        Assert.Equal("a person", Assert.Single(history.EnumerateArray()).GetProperty("resolvedBy").GetString());
        seen.Set();
        await harness.WaitForTaskAsync(alpha.GetProperty("id").GetString()!, "Completed", cancellationToken);
        await harness.WaitForTaskAsync(beta.GetProperty("id").GetString()!, "Completed", cancellationToken);
    }
}
