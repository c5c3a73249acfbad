using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Web.Components.Pages.Overview;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>The Overview's first-run card: the commands to connect while no agent has ever registered, gone after the first.</summary>
public sealed class OverviewFirstRunTests : DashboardTestContext
{
    [Fact]
    public async Task Overview_NoAgentEver_ShowsTheConnectCommandsUntilTheFirstRegisters()
    {
        // Arrange
        var cut = Render<OverviewPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=first-run]")));
        var claude = cut.Find("[data-testid=first-run-claude]").TextContent;
        var init = cut.Find("[data-testid=first-run-init]").TextContent;

        // Act
        await Services.GetRequiredService<AgentService>().RegisterAsync(new RegisterAgentCommand("first"), new("c", "ws", null), CancellationToken.None);

        // Assert
        Assert.Equal("claude mcp add --transport http vibe-ensemble \"http://127.0.0.1:8081/mcp?role=coordinator\"", claude);
        Assert.Matches("^dotnet /[^ ]+/VibeEnsemble.Web.dll init --agent-port 8081$", init);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=first-run]")));
    }
}
