using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// The Messages page in chromium: the recipient field suggests agents and groups; a message written on the dashboard
/// reaches the agent (pushed over /ws) and shows live on another open page; the agent's reply to the person arrives
/// live too.
/// </summary>
public sealed class MessagesPageBrowserTests
{
    [Fact]
    public async Task MessageFromTheDashboard_ReachesTheAgent_AndItsReplyArrivesLiveOnAnotherPage()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var agent = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await agent.RegisterAsync("builder", ["c#"], cancellationToken);
        await using var dashboard = await DashboardBrowser.OpenAsync(server, "/messages");
        var writer = dashboard.Page;
        var watcher = await dashboard.OpenTabAsync("/messages");
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = DashboardBrowser.Timeout };

        // Act: the recipient field suggests the agent's capability as a group, then takes the agent's name.
        var to = writer.Locator("[data-testid=compose-to] input, input[data-testid=compose-to]");
        await to.FillAsync("grou");
        var suggestion = writer.Locator(".mud-popover-open .mud-list-item", new() { HasText = "group:c#" });
        await Assertions.Expect(suggestion).ToBeVisibleAsync(new() { Timeout = DashboardBrowser.Timeout });
        await to.FillAsync("builder");
        await writer.Locator("[data-testid=compose-body] textarea, textarea[data-testid=compose-body]").FillAsync("Please rebase on main <script>alert(1)</script>");
        await writer.GetByTestId("send-message").ClickAsync();
        var received = await agent.WaitForMessageAsync(m => m.GetProperty("body").GetString()!.StartsWith("Please rebase", StringComparison.Ordinal), cancellationToken);
        await agent.Rpc.InvokeWithParameterObjectAsync<System.Text.Json.JsonElement>("vibe/message/reply",
            new { messageId = received.GetProperty("id").GetString(), body = "Rebased; tests green." }, cancellationToken);

        // Assert
        Assert.Equal("human", received.GetProperty("sender").GetString());
        var thread = watcher.GetByTestId("thread").First;
        await Assertions.Expect(thread).ToContainTextAsync("Please rebase on main <script>alert(1)</script>", wait);
        await Assertions.Expect(thread).ToContainTextAsync("Rebased; tests green.", wait);
        await Assertions.Expect(watcher.GetByTestId("to-you-count")).ToHaveTextAsync("1 to you", new() { Timeout = DashboardBrowser.Timeout });
        // The agent wrote to the person: a toast on every open page.
        await Assertions.Expect(writer.Locator(".mud-snackbar", new() { HasText = "builder writes" })).ToBeVisibleAsync(new() { Timeout = DashboardBrowser.Timeout });
        await dashboard.ScreenshotAsync("messages-page.png", watcher);
    }
}
