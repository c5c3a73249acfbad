using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Web.Api;

/// <summary>Tasks, projects and profiles over HTTP: the fourth way in to the same services, with ProblemDetails refusals.</summary>
public sealed class WorkApiEndpointTests(VibeWebApplicationFactory factory) : IClassFixture<VibeWebApplicationFactory>
{
    [Fact]
    public async Task PostTask_ValidBody_Creates201WithLocation_AndGetReturnsIt()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        var title = $"api-task-{Guid.NewGuid():N}";

        // Act
        var created = await client.PostAsJsonAsync("/api/tasks", new { title, requiredCapabilities = new[] { "sql" }, priority = "High" }, cancellationToken);
        var task = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var fetched = await client.GetFromJsonAsync<JsonElement>(created.Headers.Location, cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("High", "Ready"), (task.GetProperty("priority").GetString(), task.GetProperty("status").GetString()));
        Assert.Equal(title, fetched.GetProperty("task").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/api/tasks", """{"title":"  "}""", 400, "'title' is required.")]
    [InlineData("/api/tasks", """{"title":"x","project":"nowhere"}""", 404, "Project 'nowhere' was not found.")]
    [InlineData("/api/tasks", """{"title":"x","timeoutSeconds":0}""", 400, "'timeoutSeconds' must be between 1 and 86400.")]
    [InlineData("/api/tasks", """{"title":""", 400, "Failed to read parameter")]
    [InlineData("/api/projects", """{"name":"p","workingDirectory":"relative/dir"}""", 400, "must be an absolute path")]
    [InlineData("/api/projects", """{"name":"p","workingDirectory":"/no/such/dir/anywhere"}""", 400, "does not exist")]
    [InlineData("/api/profiles", """{"name":"p","permissionMode":"yolo"}""", 400, "'permissionMode' must be one of")]
    [InlineData("/api/profiles", """{"name":"p","maxConcurrentWorkers":0}""", 400, "'maxConcurrentWorkers' must be between 1 and 64.")]
    public async Task Post_BadBody_IsAProblemDetailsNamingTheField(string path, string body, int status, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        // Act
        using var response = await client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);

        // Assert
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, problem!.Detail);
    }

    [Fact]
    public async Task Profiles_DefaultShipped_AndUpsertReplacesByName()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        var name = $"rust-{Guid.NewGuid():N}"[..20];

        // Act
        var shipped = await client.GetFromJsonAsync<JsonElement>("/api/profiles", cancellationToken);
        await client.PostAsJsonAsync("/api/profiles", new { name, capabilities = new[] { "rust" }, timeoutSeconds = 600 }, cancellationToken);
        var changed = await client.PostAsJsonAsync("/api/profiles", new { name = name.ToUpperInvariant(), capabilities = new[] { "rust", "cargo" } }, cancellationToken);
        var profiles = await client.GetFromJsonAsync<JsonElement>("/api/profiles", cancellationToken);

        // Assert
        Assert.Contains(shipped.EnumerateArray(), p => p.GetProperty("name").GetString() == "default"
            && p.GetProperty("capabilities").EnumerateArray().Single().GetString() == "*");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var profile = Assert.Single(profiles.EnumerateArray(), p => string.Equals(p.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["rust", "cargo"], profile.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1800, profile.GetProperty("timeoutSeconds").GetInt32());
    }
}
