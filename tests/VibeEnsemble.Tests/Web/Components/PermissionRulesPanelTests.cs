using Bunit;
using VibeEnsemble.Web.Components.Pages.Permissions;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>The rules editor: the shipped defaults listed, a bad pattern refused naming the field, then a good rule saved.</summary>
public sealed class PermissionRulesPanelTests : DashboardTestContext
{
    [Fact]
    public async Task RulesPanel_InvalidGlobRefusedNamingTheField_ThenAValidRuleIsListed()
    {
        // Arrange
        var cut = Render<RulesPanel>();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("tr.rule-row"), r => r.TextContent.Contains("sudo")));
        var before = cut.FindAll("tr.rule-row").Count;
        await cut.Find("[data-testid=new-rule]").ClickAsync(new());
        InputOf(cut, "rule-tools").Change("Read");
        InputOf(cut, "rule-argument").Change("docs/[unclosed");

        // Act
        await cut.Find("[data-testid=save-rule]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("'argumentPattern' has a '['", cut.Find("[data-testid=rule-error]").TextContent));
        InputOf(cut, "rule-argument").Change("/srv/shared-docs/**");
        await cut.Find("[data-testid=save-rule]").ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tr.rule-row");
            Assert.Equal(before + 1, rows.Count);
            Assert.Contains(rows, r => r.TextContent.Contains("/srv/shared-docs/**") && r.TextContent.Contains("person (dashboard)"));
            Assert.Empty(cut.FindAll("[data-testid=rule-form]"));
        });
    }
}
