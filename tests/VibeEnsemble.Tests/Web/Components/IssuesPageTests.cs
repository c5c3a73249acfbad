using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VibeEnsemble.Infrastructure.Issues;
using VibeEnsemble.Web.Components.Pages.Issues;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>The Issues page: a blank title refused naming the field, an issue opened, selected, moved and commented.</summary>
public sealed class IssuesPageTests : DashboardTestContext
{
    [Fact]
    public async Task IssuesPage_OpenSelectMoveAndComment_HistoryShowsEveryStep()
    {
        // Arrange
        var cut = Render<IssuesPage>();
        await cut.Find("[data-testid=create-issue]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("'title' is required.", cut.Find("[data-testid=issue-error]").TextContent));
        InputOf(cut, "issue-title").Change("Docs build is red");

        // Act
        await cut.Find("[data-testid=create-issue]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Docs build is red", cut.Find("tr.issue-row").TextContent));
        await cut.Find("tr.issue-row").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=issue-details]")));
        // Another client (an agent over MCP) moves it meanwhile: the open page follows.
        var issues = Services.GetRequiredService<IssueService>();
        var issue = Assert.Single(await issues.ListAsync(null, null, null, 10, CancellationToken.None));
        await issues.UpdateAsync(new(issue.Id.ToString(), State: "Blocked"), by: null, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));
        cut.Find("[data-testid=issue-comment] textarea, textarea[data-testid=issue-comment]").Change("Waiting for the CDN fix.");
        await cut.Find("[data-testid=add-comment]").ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() =>
        {
            var entries = cut.FindAll("[data-testid=issue-entry]").Select(e => e.TextContent).ToList();
            Assert.Equal(2, entries.Count);
            Assert.Contains("state: Open → Blocked", entries[0]);
            Assert.Contains("human wrote: Waiting for the CDN fix.", entries[1]);
            Assert.Contains("Blocked", cut.Find("tr.issue-row").TextContent);
        });
    }
}
