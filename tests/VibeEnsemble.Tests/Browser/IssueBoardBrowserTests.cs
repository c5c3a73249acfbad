using System.Text.Json;
using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// The issue board in chromium: reached by a link (<c>?view=board</c>), empty with the next step said; issues an agent
/// opens appear live in their state's column; dragging a card to another column changes the issue's state (recorded
/// as the person's change) and another open board follows; a card opens from the keyboard.
/// </summary>
public sealed class IssueBoardBrowserTests
{
    [Fact]
    public async Task CardDraggedToAnotherColumn_ChangesTheIssuesState_AndAnotherBoardFollowsLive()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var agent = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await agent.RegisterAsync("tester", ["qa"], cancellationToken);
        await using var dashboard = await DashboardBrowser.OpenAsync(server, "/issues");
        var page = dashboard.Page;
        // The watcher comes by a link to the board; the page switches to it, which puts the view in its URL.
        var watcher = await dashboard.OpenTabAsync("/issues?view=board");
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = DashboardBrowser.Timeout };
        await Assertions.Expect(watcher.GetByTestId("issue-board-empty")).ToContainTextAsync("create_issue", wait);
        await page.GetByTestId("issue-view").GetByText("Board").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("view=board"), new() { Timeout = DashboardBrowser.Timeout });
        var flaky = await agent.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/issue/create",
            new { title = "Login test is flaky", priority = "High", labels = new[] { "tests" } }, cancellationToken);
        var open = page.GetByTestId("issue-column-Open");
        var inProgress = page.GetByTestId("issue-column-InProgress");
        await Assertions.Expect(open).ToContainTextAsync("Login test is flaky", wait);

        // Act: a second issue arrives live; the first is dragged to In progress.
        await agent.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/issue/create", new { title = "Docs link broken" }, cancellationToken);
        await Assertions.Expect(open).ToContainTextAsync("Docs link broken", wait);
        await open.GetByTestId("issue-card").Filter(new() { HasText = "Login test is flaky" })
            .DragToAsync(inProgress.Locator(".issue-zone"));
        await Assertions.Expect(inProgress).ToContainTextAsync("Login test is flaky", wait);
        var stored = await WaitForStateAsync(agent, flaky.GetProperty("id").GetString()!, "InProgress", cancellationToken);

        // Assert
        await Assertions.Expect(open).Not.ToContainTextAsync("Login test is flaky", new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(inProgress.GetByTestId("issue-column-count")).ToHaveTextAsync("1", new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(watcher.GetByTestId("issue-column-InProgress")).ToContainTextAsync("Login test is flaky", wait);
        await Assertions.Expect(watcher.GetByTestId("issue-column-Open")).Not.ToContainTextAsync("Login test is flaky", new() { Timeout = DashboardBrowser.Timeout });
        var change = stored.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("human", change.GetProperty("author").GetString());
        Assert.Contains("InProgress", change.GetProperty("body").GetString());
        // Without a mouse: a card takes focus and Enter opens it, where its state can be changed.
        await watcher.GetByTestId("issue-card").Filter(new() { HasText = "Docs link broken" }).FocusAsync();
        await watcher.Keyboard.PressAsync("Enter");
        await Assertions.Expect(watcher.GetByTestId("issue-details")).ToContainTextAsync("Docs link broken", wait);
        await Assertions.Expect(watcher.GetByTestId("issue-board-empty")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("issue-board.png", page);
    }

    private static async Task<JsonElement> WaitForStateAsync(NativeRpcClient agent, string issueId, string state, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (true)
        {
            var details = await agent.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/issue/get", new { issueId }, timeout.Token);
            if (details.GetProperty("issue").GetProperty("state").GetString() == state)
            {
                return details;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
