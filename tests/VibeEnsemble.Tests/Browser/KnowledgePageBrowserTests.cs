using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// The Knowledge page in chromium: search shows highlighted snippets, an entry opens with its markdown rendered and
/// its hostile parts inert, an edit from the page keeps the earlier version with a diff, and a new entry shows live.
/// </summary>
public sealed class KnowledgePageBrowserTests
{
    private const string HostileBody = """
        ## Steps
        Rotate the **signing keys** before the release.
        <script>window.__pwned = 1</script>
        <img src="x" onerror="window.__pwned = 2">
        [click me](javascript:window.__pwned=3)
        """;

    [Fact]
    public async Task SearchOpenEdit_OnTheDashboard_RendersSafelyAndKeepsVersions()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var api = new HttpClient { BaseAddress = server.AgentUrl };
        (await api.PostAsJsonAsync("/api/knowledge", new { title = "Key rotation", body = HostileBody, category = "Practice" }, cancellationToken))
            .EnsureSuccessStatusCode();
        await using var dashboard = await DashboardBrowser.OpenAsync(server, "/knowledge");
        var page = dashboard.Page;
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = DashboardBrowser.Timeout };

        // Act: search, open, edit.
        await page.Locator("[data-testid=knowledge-query] input, input[data-testid=knowledge-query]").FillAsync("rotating keys");
        await page.Locator("[data-testid=knowledge-query] input, input[data-testid=knowledge-query]").PressAsync("Enter");
        var marks = page.GetByTestId("knowledge-snippet").First.Locator("mark");
        await Assertions.Expect(marks.First).ToBeVisibleAsync(new() { Timeout = DashboardBrowser.Timeout });
        var marked = await marks.AllInnerTextsAsync();
        await page.GetByTestId("knowledge-hit").First.ClickAsync();
        var markdown = page.GetByTestId("knowledge-markdown");
        await Assertions.Expect(markdown.Locator("h2")).ToHaveTextAsync("Steps", new() { Timeout = DashboardBrowser.Timeout });
        var href = await markdown.Locator("a", new() { HasText = "click me" }).GetAttributeAsync("href");
        var pwned = await page.EvaluateAsync<JsonElement>("() => window.__pwned ?? null");
        var imagesWithHandlers = await markdown.Locator("img[onerror]").CountAsync();
        var shownText = await markdown.InnerTextAsync();
        await dashboard.ScreenshotAsync("knowledge-entry.png");
        await page.GetByTestId("edit-knowledge").ClickAsync();
        await page.Locator("[data-testid=knowledge-body] textarea, textarea[data-testid=knowledge-body]").FillAsync("## Steps\nRotate the keys every 90 days.");
        await page.GetByTestId("save-knowledge").ClickAsync();
        await page.GetByTestId("knowledge-version").First.Locator("a").ClickAsync();
        // Written while the page is open: it shows up without a reload (browsing, so newest first).
        await page.Locator("[data-testid=knowledge-query] input, input[data-testid=knowledge-query]").FillAsync("");
        await page.Locator("[data-testid=knowledge-query] input, input[data-testid=knowledge-query]").PressAsync("Enter");
        (await api.PostAsJsonAsync("/api/knowledge", new { title = "Cache warm-up", body = "Warm the cache before load tests." }, cancellationToken))
            .EnsureSuccessStatusCode();

        // Assert
        // "rotating" found "Rotate" by its stem; the author's own **bold** is not taken for a match.
        Assert.Equal(["Rotate", "keys"], marked);
        Assert.Equal(JsonValueKind.Null, pwned.ValueKind);
        Assert.Equal(0, imagesWithHandlers);
        Assert.Equal("#", href);
        Assert.Contains("<script>window.__pwned = 1</script>", shownText, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("knowledge-entry")).ToContainTextAsync("version 2", wait);
        var diff = page.GetByTestId("knowledge-diff");
        await Assertions.Expect(diff).ToContainTextAsync("- Rotate the **signing keys** before the release.", wait);
        await Assertions.Expect(diff).ToContainTextAsync("+ Rotate the keys every 90 days.", wait);
        await Assertions.Expect(page.GetByTestId("knowledge-hit").First).ToContainTextAsync("Cache warm-up", wait);
        await dashboard.ScreenshotAsync("knowledge-page.png");
    }
}
