using Bunit;
using VibeEnsemble.Tests.Support;
using VibeEnsemble.Web.Components.Pages.Workers;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>The project and profile editors: the domain's refusal shown in the form, then a valid one saved and listed.</summary>
public sealed class WorkerEditorsTests : DashboardTestContext
{
    [Fact]
    public async Task ProjectsPanel_RelativeDirectory_ShowsTheReason_ThenAValidProjectIsListed()
    {
        // Arrange
        using var directory = new TempDirectory();
        var cut = Render<ProjectsPanel>();
        await cut.Find("[data-testid=new-project]").ClickAsync(new());
        InputOf(cut, "project-name").Change("web-shop");
        InputOf(cut, "project-directory").Change("src/shop");

        // Act
        await cut.Find("[data-testid=save-project]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("must be an absolute path", cut.Find("[data-testid=project-error]").TextContent));
        InputOf(cut, "project-directory").Change(directory.Path);
        await cut.Find("[data-testid=save-project]").ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("tr.project-row");
            Assert.Contains("web-shop", row.TextContent);
            Assert.Contains(directory.Path, row.TextContent);
            Assert.Empty(cut.FindAll("[data-testid=project-form]"));
        });
    }

    [Fact]
    public async Task ProfilesPanel_ShippedDefaultListed_BlankNameRefused_ThenANewProfileIsSaved()
    {
        // Arrange
        var cut = Render<ProfilesPanel>();
        cut.WaitForAssertion(() => Assert.Contains("default", cut.Find("tr.profile-row").TextContent));
        await cut.Find("[data-testid=new-profile]").ClickAsync(new());
        InputOf(cut, "profile-capabilities").Change("rust, cargo");
        InputOf(cut, "profile-timeout").Change("600");

        // Act
        await cut.Find("[data-testid=save-profile]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("'name' is required.", cut.Find("[data-testid=profile-error]").TextContent));
        InputOf(cut, "profile-name").Change("rustacean");
        await cut.Find("[data-testid=save-profile]").ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tr.profile-row");
            Assert.Equal(2, rows.Count);
            Assert.Contains(rows, r => r.TextContent.Contains("rustacean") && r.TextContent.Contains("rust, cargo") && r.TextContent.Contains("600 s"));
        });
    }
}
