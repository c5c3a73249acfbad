using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Conflicts;
using VibeEnsemble.Web.Components.Pages.Conflicts;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>The Conflicts page's reservations: one made elsewhere shows up live, the person releases it, one expiring drops off.</summary>
public sealed class ConflictsPageTests : DashboardTestContext
{
    [Fact]
    public async Task ConflictsPage_ReservationMadeElsewhere_ShowsLiveAndIsReleasedByThePerson()
    {
        // Arrange
        var agent = await Services.GetRequiredService<AgentService>().RegisterAsync(new RegisterAgentCommand("builder"), new("c1", "ws", null), CancellationToken.None);
        var reservations = Services.GetRequiredService<ReservationService>();
        var cut = Render<ConflictsPage>();

        // Act
        await reservations.ReserveAsync(new ReserveFilesRequest(["src/api/**"], Reason: "refactoring"), agent, CancellationToken.None);
        cut.WaitForAssertion(() => Assert.Contains("src/api/**", cut.Find("[data-testid=reservations-table]").TextContent));
        var row = cut.Find("[data-testid=reservations-table] tbody tr").TextContent;
        await cut.Find("[data-testid=release-reservation]").ClickAsync(new());

        // Assert
        Assert.Contains("builder", row);
        Assert.Contains("exclusive", row);
        Assert.Contains("refactoring", row);
        cut.WaitForAssertion(() => Assert.Contains("No file is reserved.", cut.Find("[data-testid=reservations-table]").TextContent));
        Assert.Empty(await reservations.ListAsync(null, null, CancellationToken.None));
    }
}
