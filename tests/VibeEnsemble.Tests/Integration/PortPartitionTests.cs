using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The dashboard port and the agent port each serve only their own endpoints (and both serve /api).</summary>
public sealed class PortPartitionTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task AgentEndpoint_OnDashboardPort_Returns404NamingTheAgentPort()
    {
        // Arrange
        using var client = new HttpClient { BaseAddress = fixture.Server.DashboardUrl };

        // Act
        var response = await client.GetAsync("/mcp", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Contains($"port {fixture.Server.AgentUrl.Port}", problem!.Detail);
    }

    [Fact]
    public async Task Dashboard_OnAgentPort_Returns404NamingTheDashboardPort()
    {
        // Arrange
        using var client = new HttpClient { BaseAddress = fixture.Server.AgentUrl };

        // Act
        var response = await client.GetAsync("/agents", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Contains($"port {fixture.Server.DashboardUrl.Port}", problem!.Detail);
    }

    [Fact]
    public async Task Api_OnBothPorts_Answers()
    {
        // Arrange
        using var dashboard = new HttpClient { BaseAddress = fixture.Server.DashboardUrl };
        using var agents = new HttpClient { BaseAddress = fixture.Server.AgentUrl };

        // Act
        var viaDashboard = await dashboard.GetAsync("/api/health", TestContext.Current.CancellationToken);
        var viaAgents = await agents.GetAsync("/api/health", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.OK, viaDashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaAgents.StatusCode);
    }
}
