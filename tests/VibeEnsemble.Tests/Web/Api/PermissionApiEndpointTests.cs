using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Web.Api;

/// <summary>Permission rules and decisions over HTTP: bad rules named by field, decisions final.</summary>
public sealed class PermissionApiEndpointTests(VibeWebApplicationFactory factory) : IClassFixture<VibeWebApplicationFactory>
{
    [Theory]
    [InlineData("""{"toolPattern":"","action":"allow"}""", "'toolPattern' is required")]
    [InlineData("""{"toolPattern":"Bash","action":"maybe"}""", "'action' must be allow, deny or ask")]
    [InlineData("""{"toolPattern":"Bash","action":"1"}""", "'action' must be allow, deny or ask")]
    [InlineData("""{"toolPattern":"Bash"}""", "'action' is required")]
    [InlineData("""{"toolPattern":"Read","argumentPattern":"src/[","action":"allow"}""", "'argumentPattern' has a '['")]
    [InlineData("""{"toolPattern":"Bash","action":"allow","scope":"project"}""", "'scopeName' is required")]
    [InlineData("""{"toolPattern":"Bash","action":"allow","scope":"galaxy"}""", "'scope' must be server, project or profile")]
    [InlineData("""{"toolPattern":"Bash","action":"allow","position":-1}""", "'position' must be between")]
    public async Task PostRule_BadField_Is400NamingIt(string body, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        // Act
        using var response = await client.PostAsync("/api/permissions/rules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem!.Detail);
    }

    [Fact]
    public async Task Rules_CreateChangeDelete_StoredWithWhoChangedThem()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        // Act
        var created = await client.PostAsJsonAsync("/api/permissions/rules",
            new { toolPattern = "Bash", argumentPattern = "npm test", action = "allow", scope = "project", scopeName = "web" }, cancellationToken);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var id = rule.GetProperty("id").GetString();
        var changed = await client.PutAsJsonAsync($"/api/permissions/rules/{id}",
            new { toolPattern = "Bash", argumentPattern = "npm test*", action = "ask", scope = "project", scopeName = "web", position = 5 }, cancellationToken);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/permissions/rules", cancellationToken);
        var deleted = await client.DeleteAsync($"/api/permissions/rules/{id}", cancellationToken);
        var deletedAgain = await client.DeleteAsync($"/api/permissions/rules/{id}", cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("api", 10), (rule.GetProperty("updatedBy").GetString(), rule.GetProperty("position").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var listedRule = listed.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal(("Ask", "npm test*", 5), (listedRule.GetProperty("action").GetString(), listedRule.GetProperty("argumentPattern").GetString(), listedRule.GetProperty("position").GetInt32()));
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("updatedBy").GetString() == "default" && r.GetProperty("argumentPattern").GetString() == "sudo");
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deleted.StatusCode, deletedAgain.StatusCode));
    }

    [Fact]
    public async Task Decision_OnDecidedOrAbandonedRequest_Is409AndNeverAppliedTwice()
    {
        // Arrange: two requests no rule covers; the caller of the second stops waiting.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        var broker = factory.Services.GetRequiredService<PermissionBroker>();
        var input = JsonSerializer.SerializeToElement(new { command = "make deploy" });
        var waiting = broker.RequestAsync(new PermissionCaller(null), "Bash", input, cancellationToken);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var abandoned = broker.RequestAsync(new PermissionCaller(null), "Bash", input, abandon.Token);
        var pending = await WaitForPendingAsync(client, 2, cancellationToken);
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        // Act
        var ids = (await client.GetFromJsonAsync<JsonElement>("/api/permissions/requests?state=Expired", cancellationToken))
            .EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var expiredId = Assert.Single(ids.Intersect(pending));
        var waitingId = Assert.Single(pending.Except([expiredId]));
        var first = await client.PostAsJsonAsync($"/api/permissions/requests/{waitingId}/decision", new { approve = false, message = "not today" }, cancellationToken);
        var second = await client.PostAsJsonAsync($"/api/permissions/requests/{waitingId}/decision", new { approve = true }, cancellationToken);
        var late = await client.PostAsJsonAsync($"/api/permissions/requests/{expiredId}/decision", new { approve = true }, cancellationToken);
        var verdict = await waiting;

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (second.StatusCode, late.StatusCode));
        Assert.Contains("already denied", (await second.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken))!.Detail);
        Assert.Contains("already expired", (await late.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken))!.Detail);
        Assert.False(verdict.Allowed);
        Assert.Contains("not today", verdict.Message);
    }

    [Fact]
    public async Task Decision_ApproveAndRemember_StoresARulePerCommandSoTheSameCallIsAllowedAtOnce()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        var broker = factory.Services.GetRequiredService<PermissionBroker>();
        var command = $"make bundle-{Guid.NewGuid():N} && make publish-{Guid.NewGuid():N}";
        var input = JsonSerializer.SerializeToElement(new { command });
        var waiting = broker.RequestAsync(new PermissionCaller(null), "Bash", input, cancellationToken);
        var pending = await WaitForPendingAsync(client, 1, cancellationToken);

        // Act
        var decided = await client.PostAsJsonAsync($"/api/permissions/requests/{pending.Single()}/decision",
            new { approve = true, remember = true, rememberScope = "server" }, cancellationToken);
        var first = await waiting;
        var again = await broker.RequestAsync(new PermissionCaller(null), "Bash", input, cancellationToken);
        var rules = await client.GetFromJsonAsync<JsonElement>("/api/permissions/rules", cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.True(first.Allowed);
        Assert.True(again.Allowed, again.Message);
        var remembered = rules.EnumerateArray().Where(r => r.GetProperty("note").GetString()!.StartsWith("Remembered", StringComparison.Ordinal)
            && command.Contains(r.GetProperty("argumentPattern").GetString()!, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, remembered.Count);
        Assert.All(remembered, r => Assert.Equal(("Allow", "api"), (r.GetProperty("action").GetString(), r.GetProperty("updatedBy").GetString())));
    }

    /// <summary>Polls the pending list until the requests made in the background are stored (documented polling: no push over HTTP).</summary>
    private static async Task<List<string?>> WaitForPendingAsync(HttpClient client, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            var pending = (await client.GetFromJsonAsync<JsonElement>("/api/permissions/requests?state=Pending", cancellationToken))
                .EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
            if (pending.Count >= count)
            {
                return pending;
            }

            await Task.Delay(25, cancellationToken);
        }

        throw new TimeoutException($"{count} pending requests never appeared.");
    }
}
