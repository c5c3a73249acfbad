using Microsoft.Playwright;

namespace VibeEnsemble.Tests.Support;

/// <summary>
/// A real server process with a headless Debian chromium on one of its dashboard pages, interactive and ready.
/// Playwright cannot download browsers here, so it drives <c>/usr/bin/chromium</c>.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly TempDirectory? _data;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(TempDirectory? data, ServerProcess server, IPlaywright playwright, IBrowser browser, IPage page)
    {
        _data = data;
        Server = server;
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public static float Timeout => (float)TestConstants.DefaultTimeout.TotalMilliseconds;

    public ServerProcess Server { get; }

    public IPage Page { get; }

    public static async Task<DashboardBrowser> OpenAsync(string path, CancellationToken cancellationToken)
    {
        RequireChromium();
        var data = new TempDirectory();
        var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        return await OpenAsync(data, server, path);
    }

    /// <summary>A browser on a server someone else started (and stops).</summary>
    public static Task<DashboardBrowser> OpenAsync(ServerProcess server, string path)
    {
        RequireChromium();
        return OpenAsync(data: null, server, path);
    }

    /// <summary>Another tab of the same browser on <paramref name="path"/>, interactive and ready.</summary>
    public async Task<IPage> OpenTabAsync(string path)
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(Server.DashboardUrl, path).ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        return page;
    }

    private static async Task<DashboardBrowser> OpenAsync(TempDirectory? data, ServerProcess server, string path)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
        var page = await browser.NewPageAsync();
        var session = new DashboardBrowser(data, server, playwright, browser, page);
        await page.GotoAsync(new Uri(server.DashboardUrl, path).ToString());
        // Prerendered HTML is visible before the circuit connects; live updates need the interactive renderer.
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        return session;
    }

    public Task ScreenshotAsync(string name, IPage? page = null) =>
        (page ?? Page).ScreenshotAsync(new() { Path = RepoPaths.TestOutput(name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        if (_data is not null)
        {
            await Server.DisposeAsync();
            _data.Dispose();
        }
    }

    private static void RequireChromium()
    {
        // CI installs chromium and sets VIBE_REQUIRE_BROWSER, so that there a missing browser fails instead of skipping.
        if (Environment.GetEnvironmentVariable("VIBE_REQUIRE_BROWSER") is "1")
        {
            Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        }

        Assert.SkipUnless(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
    }
}
