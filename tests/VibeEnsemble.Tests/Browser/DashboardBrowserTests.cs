using Microsoft.Playwright;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>The dashboard in a real browser (Debian's chromium) against the real server process.</summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task AgentsPage_AgentRegistersThroughMcp_AppearsWithoutReload()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        RequireChromium();
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.DashboardUrl, "/agents").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("total-count")).ToHaveTextAsync("0 known", new() { Timeout = Timeout });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // Act
        await using var mcp = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(server.AgentUrl, "/mcp"), Name = "browser-test" }),
            cancellationToken: cancellationToken);
        await mcp.CallToolAsync("register_agent",
            new Dictionary<string, object?> { ["name"] = "frontend-worker", ["capabilities"] = new[] { "react", "css" } },
            cancellationToken: cancellationToken);

        // Assert
        var row = page.Locator("tr.agent-row", new() { HasText = "frontend-worker" });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(row).ToContainTextAsync("react", new() { Timeout = Timeout });
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("Online", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("online-count")).ToHaveTextAsync("1 online", new() { Timeout = Timeout });
        Assert.Equal(0, navigations);
        await page.ScreenshotAsync(new() { Path = RepoPaths.TestOutput("agents-page.png"), FullPage = true });
    }

    [Fact]
    public async Task Overview_AgentDisconnects_CounterDropsWithoutReload()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        RequireChromium();
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.DashboardUrl.ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        var online = page.GetByTestId("counter-agents-online");

        // Act + Assert
        var rpc = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await rpc.RegisterAsync("reviewer", ["review"], cancellationToken);
        await Assertions.Expect(online).ToHaveTextAsync("1", new() { Timeout = Timeout });
        await rpc.DisposeAsync();
        await Assertions.Expect(online).ToHaveTextAsync("0", new() { Timeout = Timeout });
        await page.ScreenshotAsync(new() { Path = RepoPaths.TestOutput("overview-page.png"), FullPage = true });
    }

    private static float Timeout => (float)TestConstants.DefaultTimeout.TotalMilliseconds;

    private static void RequireChromium()
    {
        // CI installs chromium and sets VIBE_REQUIRE_BROWSER so that a missing browser fails there instead of skipping.
        if (Environment.GetEnvironmentVariable("VIBE_REQUIRE_BROWSER") is "1")
        {
            Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        }

        Assert.SkipUnless(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
}
