using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>Issues through MCP: opened, assigned, moved through states, commented, closed, each change in the history.</summary>
public sealed class IssueTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task IssueLifecycle_OverMcp_KeepsEveryChangeWithWhoMadeIt()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var lead = await AgentAsync($"lead-{suffix}", cancellationToken);
        await using var dev = await AgentAsync($"dev-{suffix}", cancellationToken);

        // Act
        var opened = await lead.CallSucceedingAsync("create_issue", new()
        {
            ["title"] = $"Flaky login test {suffix}", ["body"] = "Fails 1 in 20 on CI.", ["priority"] = "High", ["labels"] = new[] { "bug", "ci" },
        }, cancellationToken);
        var id = opened.GetProperty("id").GetString();
        await lead.CallSucceedingAsync("update_issue", new() { ["issueId"] = id, ["assignee"] = $"dev-{suffix}", ["state"] = "InProgress" }, cancellationToken);
        await dev.CallSucceedingAsync("comment_issue", new() { ["issueId"] = id, ["body"] = "A race in the session cache." }, cancellationToken);
        await dev.CallSucceedingAsync("close_issue", new() { ["issueId"] = id, ["reason"] = "Fixed by locking the cache." }, cancellationToken);
        var details = await lead.CallSucceedingAsync("get_issue", new() { ["issueId"] = id }, cancellationToken);
        var closedBugs = await lead.CallSucceedingAsync("list_issues", new() { ["state"] = "Closed", ["label"] = "BUG" }, cancellationToken);
        var badState = await lead.CallToolAsync("update_issue", new Dictionary<string, object?> { ["issueId"] = id, ["state"] = "Done" }, cancellationToken: cancellationToken);

        // Assert
        var issue = details.GetProperty("issue");
        Assert.Equal(("Closed", "High"), (issue.GetProperty("state").GetString(), issue.GetProperty("priority").GetString()));
        var history = details.GetProperty("history").EnumerateArray()
            .Select(e => (Kind: e.GetProperty("kind").GetString(), Author: e.GetProperty("author").GetString(), Body: e.GetProperty("body").GetString()!)).ToList();
        Assert.Equal(4, history.Count);
        Assert.Equal(("Change", $"lead-{suffix}"), (history[0].Kind, history[0].Author));
        Assert.Contains("state: Open → InProgress", history[0].Body);
        Assert.Contains($"assignee: dev-{suffix}", history[0].Body);
        Assert.Equal(("Comment", $"dev-{suffix}", "A race in the session cache."), history[1]);
        Assert.Equal(("Comment", "Fixed by locking the cache."), (history[2].Kind, history[2].Body));
        Assert.Equal(("Change", "state: InProgress → Closed"), (history[3].Kind, history[3].Body));
        Assert.Contains(closedBugs.EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.True(badState.IsError);
        Assert.Contains("'state' must be Open, InProgress, Blocked, Resolved or Closed", McpCalls.Text(badState));
    }

    private async Task<McpClient> AgentAsync(string name, CancellationToken cancellationToken)
    {
        var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = name }), cancellationToken: cancellationToken);
        await client.CallSucceedingAsync("register_agent", new() { ["name"] = name }, cancellationToken);
        return client;
    }
}
