using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Web.Api;

public sealed class ApiEndpointTests(VibeWebApplicationFactory factory) : IClassFixture<VibeWebApplicationFactory>
{
    [Fact]
    public async Task Health_DatabaseReachable_ReportsHealthy()
    {
        // Arrange
        using var client = factory.CreateClient();

        // Act
        var health = await client.GetFromJsonAsync<HealthDto>("/api/health", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal("healthy", health!.Status);
        Assert.Equal("ok", health.Database);
        Assert.False(string.IsNullOrEmpty(health.Version));
    }

    [Fact]
    public async Task Agents_AfterRegistration_ListsAgentAndFiltersByStatus()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var agents = factory.Services.GetRequiredService<AgentService>();
        var name = $"api-{Guid.NewGuid():N}";
        await agents.RegisterAsync(new RegisterAgentCommand(name, ["sql"]), new AgentConnection($"test-{name}", "rpc", null), cancellationToken);
        using var client = factory.CreateClient();

        // Act
        var all = await client.GetFromJsonAsync<AgentDto[]>("/api/agents", Json.Options, cancellationToken);
        var offline = await client.GetFromJsonAsync<AgentDto[]>("/api/agents?status=offline", Json.Options, cancellationToken);

        // Assert
        Assert.Contains(all!, a => a.Name == name && a.Status == "Online" && a.Capabilities.SequenceEqual(["sql"]));
        Assert.DoesNotContain(offline!, a => a.Name == name);
    }

    [Fact]
    public async Task Agents_UnknownStatus_Returns400ProblemDetails()
    {
        // Arrange
        using var client = factory.CreateClient();

        // Act
        var response = await client.GetAsync("/api/agents?status=sleepy", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Contains("sleepy", problem!.Detail);
    }

    [Fact]
    public async Task Stats_AfterRegistration_CountsTheAgent()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        var before = await client.GetFromJsonAsync<StatsDto>("/api/stats", cancellationToken);
        await factory.Services.GetRequiredService<AgentService>().RegisterAsync(
            new RegisterAgentCommand($"stats-{Guid.NewGuid():N}"), new AgentConnection($"c-{Guid.NewGuid():N}", "rpc", null), cancellationToken);

        // Act
        var after = await client.GetFromJsonAsync<StatsDto>("/api/stats", cancellationToken);

        // Assert
        Assert.Equal(before!.Coordination.AgentsTotal + 1, after!.Coordination.AgentsTotal);
        Assert.Equal(before.Coordination.AgentsOnline + 1, after.Coordination.AgentsOnline);
        Assert.Equal(0, after.Coordination.TasksTotal);
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/mcp")]
    [InlineData("/agents")]
    [InlineData("/sse")]
    [InlineData("/ws")]
    [InlineData("/mcp/ws")]
    public async Task AnyEndpoint_ForeignOrigin_Returns403(string path)
    {
        // Arrange
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "http://evil.example");

        // Act
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnyEndpoint_ForeignHost_Returns400ProblemDetailsNamingTheSetting()
    {
        // Arrange
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Host = "evil.example";

        // Act
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Host 'evil.example' is not one of AllowedHosts", problem!.Detail);
    }

    [Theory]
    [InlineData("/ws")]
    [InlineData("/mcp/ws")]
    public async Task WebSocketEndpoint_PlainGet_Returns400ProblemDetails(string path)
    {
        // Arrange
        using var client = factory.CreateClient();

        // Act
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Contains("WebSocket", problem!.Detail);
    }

    private sealed record HealthDto(string Status, string Database, string Version, TimeSpan Uptime);

    private sealed record StatsDto(CoordinationDto Coordination, int McpSessions);

    private sealed record CoordinationDto(int AgentsOnline, int AgentsTotal, int TasksTotal);
}
