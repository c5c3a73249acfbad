using Bunit;
using TestContext = Xunit.TestContext;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Web.Components.Pages.Agents;
using VibeEnsemble.Web.Components.Pages.Overview;

namespace VibeEnsemble.Tests.Web.Components;

public sealed class AgentsPageTests : DashboardTestContext
{
    private static readonly AgentConnection s_connection = new("conn-1", "ws", "claude-code");

    [Fact]
    public async Task AgentsPage_ExistingAgents_ListsThemWithCapabilities()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await Agents.RegisterAsync(new RegisterAgentCommand("backend", ["rust", "sql"]), s_connection, cancellationToken);

        // Act
        var cut = Render<AgentsPage>();

        // Assert
        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tr.agent-row"));
            Assert.Contains("backend", row.TextContent);
            Assert.Contains("rust", row.TextContent);
            Assert.Contains("ws · claude-code", row.TextContent);
            Assert.Equal("Online", row.QuerySelector("[data-status]")!.TextContent);
        });
    }

    [Fact]
    public async Task AgentsPage_AgentRegistersAndDisconnects_UpdatesLive()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var cut = Render<AgentsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No agent has registered yet", cut.Markup));

        // Act
        await Agents.RegisterAsync(new RegisterAgentCommand("tester", ["playwright"]), s_connection, cancellationToken);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("1 online", cut.Find("[data-testid=online-count]").TextContent));
        await Agents.DisconnectAsync(s_connection.ConnectionId, cancellationToken);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("0 online", cut.Find("[data-testid=online-count]").TextContent);
            Assert.Equal("Offline", cut.Find("tr.agent-row [data-status]").TextContent);
        });
    }

    [Fact]
    public async Task AgentsPage_Filter_ShowsOnlyMatchingAgents()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await Agents.RegisterAsync(new RegisterAgentCommand("frontend", ["react"]), s_connection, cancellationToken);
        await Agents.RegisterAsync(new RegisterAgentCommand("backend", ["sql"]), new AgentConnection("conn-2", "http", null), cancellationToken);
        var cut = Render<AgentsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tr.agent-row").Count));

        // Act
        cut.Find("input").Input("reac");

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("frontend", Assert.Single(cut.FindAll("tr.agent-row")).TextContent));
    }

    [Fact]
    public async Task Overview_AgentRegisters_CounterUpdatesLive()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var cut = Render<OverviewPage>();
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=counter-agents-online]").TextContent));

        // Act
        await Agents.RegisterAsync(new RegisterAgentCommand("planner"), s_connection, cancellationToken);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=counter-agents-online]").TextContent));
        Assert.Equal(AgentStatus.Online, (await Agents.FindAsync("planner", cancellationToken))!.Status);
    }

    [Fact]
    public async Task AgentsPage_TimePasses_LastSeenStaysTrueWithoutEvents()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await Agents.RegisterAsync(new RegisterAgentCommand("quiet"), s_connection, cancellationToken);
        var cut = Render<AgentsPage>();
        cut.WaitForAssertion(() => Assert.Contains("just now", cut.Find("tr.agent-row").TextContent));

        // Act
        Time.Advance(TimeSpan.FromMinutes(3));

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("3 min ago", cut.Find("tr.agent-row").TextContent));
    }
}
