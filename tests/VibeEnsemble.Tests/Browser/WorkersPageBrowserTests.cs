using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// The Workers page in chromium while real Claude Code runs a task created on the dashboard: the worker appears,
/// its parsed output arrives line by line, and the task completes on the Tasks page, all without a reload.
/// </summary>
public sealed class WorkersPageBrowserTests
{
    private static LocatorAssertionsToHaveTextOptions Text => new() { Timeout = DashboardBrowser.Timeout };

    [Fact]
    public async Task TaskCreatedOnTheDashboard_WorkerAppearsWithLiveOutput_AndTheTaskCompletes()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) switch
        {
            0 => ModelTurn.Call("mcp__vibe-ensemble__update_task_progress", new { progress = "read the changelog" }),
            1 => ModelTurn.Call("mcp__vibe-ensemble__complete_task", new { result = "Release notes written to docs/RELEASE.md." }),
            _ => ModelTurn.Say("Finished: release notes are in docs/RELEASE.md."),
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);
        await using var dashboard = await DashboardBrowser.OpenAsync(harness.Server, "/workers");
        var workersPage = dashboard.Page;
        var tasksPage = await dashboard.OpenTabAsync("/tasks");
        var navigations = 0;
        workersPage.FrameNavigated += (_, frame) => navigations += frame == workersPage.MainFrame ? 1 : 0;

        // Act
        await tasksPage.GetByTestId("new-task").ClickAsync();
        await tasksPage.GetByTestId("task-title").FillAsync("Write the release notes");
        await tasksPage.GetByTestId("create-task").ClickAsync();

        // Assert
        var worker = workersPage.Locator("tr.worker-row");
        await Assertions.Expect(worker.Locator("[data-state]")).ToHaveTextAsync("Exited", Text);
        await Assertions.Expect(worker).ToContainTextAsync("Write the release notes", new() { Timeout = DashboardBrowser.Timeout });
        var log = workersPage.GetByTestId("worker-output");
        await Assertions.Expect(log.Locator(".worker-line[data-kind='Init']")).ToContainTextAsync("vibe-ensemble=connected", new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(log.Locator(".worker-line[data-kind='ToolUse']").First).ToContainTextAsync("update_task_progress", new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(log.Locator(".worker-line[data-kind='Result']")).ToContainTextAsync("release notes are in docs/RELEASE.md", new() { Timeout = DashboardBrowser.Timeout });
        var task = tasksPage.Locator("tr.task-row", new() { HasText = "Write the release notes" });
        await Assertions.Expect(task.Locator("[data-status]")).ToHaveTextAsync("Completed", Text);
        Assert.Equal(0, navigations);
        await dashboard.ScreenshotAsync("workers-page.png");
    }
}
