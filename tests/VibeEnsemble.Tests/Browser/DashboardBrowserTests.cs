using Microsoft.Playwright;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>The dashboard in a real browser (Debian's chromium) against the real server process.</summary>
public sealed class DashboardBrowserTests
{
    private static LocatorAssertionsToBeVisibleOptions Visible => new() { Timeout = DashboardBrowser.Timeout };

    private static LocatorAssertionsToHaveTextOptions Text => new() { Timeout = DashboardBrowser.Timeout };

    [Fact]
    public async Task AgentsPage_AgentRegistersThroughMcp_AppearsWithoutReload()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await DashboardBrowser.OpenAsync("/agents", cancellationToken);
        var page = dashboard.Page;
        await Assertions.Expect(page.GetByTestId("total-count")).ToHaveTextAsync("0 known", Text);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // Act
        await using var mcp = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(dashboard.Server.AgentUrl, "/mcp"), Name = "browser-test" }),
            cancellationToken: cancellationToken);
        await mcp.CallToolAsync("register_agent",
            new Dictionary<string, object?> { ["name"] = "frontend-worker", ["capabilities"] = new[] { "react", "css" } },
            cancellationToken: cancellationToken);

        // Assert
        var row = page.Locator("tr.agent-row", new() { HasText = "frontend-worker" });
        await Assertions.Expect(row).ToBeVisibleAsync(Visible);
        await Assertions.Expect(row).ToContainTextAsync("react", new() { Timeout = DashboardBrowser.Timeout });
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("Online", Text);
        await Assertions.Expect(page.GetByTestId("online-count")).ToHaveTextAsync("1 online", Text);
        Assert.Equal(0, navigations);
        await dashboard.ScreenshotAsync("agents-page.png");
    }

    [Fact]
    public async Task Overview_AgentDisconnects_CounterDropsWithoutReload()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await DashboardBrowser.OpenAsync("/", cancellationToken);
        var online = dashboard.Page.GetByTestId("counter-agents-online");

        // Act + Assert
        var rpc = await NativeRpcClient.ConnectAsync(dashboard.Server.AgentWebSocketUrl, cancellationToken);
        await rpc.RegisterAsync("reviewer", ["review"], cancellationToken);
        await Assertions.Expect(online).ToHaveTextAsync("1", Text);
        await rpc.DisposeAsync();
        await Assertions.Expect(online).ToHaveTextAsync("0", Text);
        await dashboard.ScreenshotAsync("overview-page.png");
    }

    [Fact]
    public async Task TasksPage_TaskCreatedInTheBrowser_IsTakenAndCompletedByAnAgentWithoutReload()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await DashboardBrowser.OpenAsync("/tasks", cancellationToken);
        var page = dashboard.Page;
        await Assertions.Expect(page.GetByText("No tasks yet")).ToBeVisibleAsync(Visible);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // Act: a person creates the task on the dashboard...
        await page.GetByTestId("new-task").ClickAsync();
        await page.GetByTestId("task-title").FillAsync("Write the release notes");
        await page.GetByTestId("task-capabilities").FillAsync("writing");
        await page.GetByTestId("create-task").ClickAsync();
        var row = page.Locator("tr.task-row", new() { HasText = "Write the release notes" });
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("Ready", Text);

        // ...and an agent with that capability takes it and completes it over the native API.
        await using var agent = await NativeRpcClient.ConnectAsync(dashboard.Server.AgentWebSocketUrl, cancellationToken);
        await agent.RegisterAsync("scribe", ["writing"], cancellationToken);
        var next = await agent.Rpc.InvokeWithParameterObjectAsync<System.Text.Json.JsonElement>("vibe/task/next", new { }, cancellationToken);
        var taskId = next.GetProperty("task").GetProperty("id").GetString();
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("Running", Text);
        await agent.Rpc.InvokeWithParameterObjectAsync<System.Text.Json.JsonElement>(
            "vibe/task/complete", new { taskId, result = "Release notes drafted in docs/RELEASE.md." }, cancellationToken);

        // Assert
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("Completed", Text);
        await row.ClickAsync();
        await Assertions.Expect(page.GetByTestId("task-result")).ToHaveTextAsync("Release notes drafted in docs/RELEASE.md.", Text);
        await Assertions.Expect(page.Locator("[data-attempt='1']")).ToContainTextAsync("Succeeded", new() { Timeout = DashboardBrowser.Timeout });
        Assert.Equal(0, navigations);
        await dashboard.ScreenshotAsync("tasks-page.png");
    }
}
