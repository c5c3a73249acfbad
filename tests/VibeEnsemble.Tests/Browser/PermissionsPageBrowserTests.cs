using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// A real Claude Code worker's tool call waits for the person: it appears as a toast on whatever page is open, with a
/// badge in the navigation, and on the Permissions page; approving it there lets the worker finish.
/// </summary>
public sealed class PermissionsPageBrowserTests
{
    [Fact]
    public async Task AskedToolCall_ShowsAsToastAndOnThePage_ApprovingFromTheBrowserLetsTheWorkerFinish()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) switch
        {
            0 => ModelTurn.Call("Bash", new { command = "touch approved-in-browser.txt", description = "needs a yes" }),
            1 => ModelTurn.Call("mcp__vibe-ensemble__complete_task", new { result = "file touched after approval" }),
            _ => ModelTurn.Say("Done."),
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken, permissionMode: "default");
        await using var dashboard = await DashboardBrowser.OpenAsync(harness.Server, "/tasks");
        var tasksPage = dashboard.Page;
        var permissionsPage = await dashboard.OpenTabAsync("/permissions");
        var wait = new LocatorAssertionsToBeVisibleOptions { Timeout = DashboardBrowser.Timeout };

        // Act
        var created = await harness.CallAsync("create_task", new() { ["title"] = "Touch a file", ["project"] = "demo" }, cancellationToken);
        var toast = tasksPage.Locator(".mud-snackbar", new() { HasText = "A worker asks to run Bash" });
        await Assertions.Expect(toast).ToBeVisibleAsync(wait);
        await Assertions.Expect(tasksPage.GetByTestId("inbox-badge")).ToHaveTextAsync("1", new() { Timeout = DashboardBrowser.Timeout });
        var request = permissionsPage.GetByTestId("permission-request");
        await Assertions.Expect(request).ToBeVisibleAsync(wait);
        await Assertions.Expect(request.Locator("textarea")).ToHaveValueAsync(new Regex("touch approved-in-browser\\.txt"), new() { Timeout = DashboardBrowser.Timeout });
        await dashboard.ScreenshotAsync("permissions-page.png", permissionsPage);
        await request.GetByTestId("approve").ClickAsync();

        // Assert
        await harness.WaitForTaskAsync(created.GetProperty("id").GetString()!, "Completed", cancellationToken);
        Assert.True(File.Exists(Path.Combine(harness.Project.Path, "approved-in-browser.txt")));
        await Assertions.Expect(permissionsPage.GetByTestId("inbox-empty")).ToBeVisibleAsync(wait);
        await permissionsPage.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
        await Assertions.Expect(permissionsPage.GetByTestId("permission-history")).ToContainTextAsync("person (dashboard)", new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(tasksPage.GetByTestId("inbox-badge")).ToHaveCountAsync(0, new() { Timeout = DashboardBrowser.Timeout });
    }
}
