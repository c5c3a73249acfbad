using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Each role is offered only its own tools (they cost every session tokens on every turn), and cannot call the
/// others; an unknown role is refused before a session starts.
/// </summary>
public sealed class McpRoleTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task ToolsList_PerRole_OffersItsOwnSet_AndEveryToolWithoutARole()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;

        // Act
        var everything = await ToolNamesAsync("", cancellationToken);
        var coordinator = await ToolNamesAsync("?role=coordinator", cancellationToken);
        var agent = await ToolNamesAsync("?role=Agent", cancellationToken);

        // Assert
        Assert.Contains("get_next_task", everything);
        Assert.Contains("create_task", everything);
        Assert.Contains("create_task", coordinator);
        Assert.Contains("upsert_profile", coordinator);
        Assert.DoesNotContain("get_next_task", coordinator);
        Assert.Equal(
            ["acknowledge_message", "add_knowledge", "check_conflicts", "check_inbox", "complete_task", "escalate", "fail_task", "get_knowledge",
                "get_next_task", "get_task", "heartbeat", "join_group", "list_agents", "list_reservations", "register_agent", "release_files", "renew_reservation",
                "reply_message", "reserve_files", "search_knowledge", "search_messages", "send_message", "update_task_progress", "vote_knowledge",
                "wait_for_messages"],
            agent.Order());
        Assert.True(coordinator.Count < everything.Count);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("?role=coordinator", false)]
    [InlineData("?role=worker", false)]
    public async Task ToolsList_PreparedReply_IsShapedForTheRole_AndACursorIsLeftToTheSdk(string query, bool titled)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await ConnectAsync(query, cancellationToken);

        // Act
        var prepared = await client.SendRequestAsync(new JsonRpcRequest { Method = RequestMethods.ToolsList }, cancellationToken);
        var withCursor = await client.SendRequestAsync(
            new JsonRpcRequest { Method = RequestMethods.ToolsList, Params = new JsonObject { ["cursor"] = "page-2" } }, cancellationToken);

        // Assert: the reply is the SDK's result shape, each role's tools as SlimToolList shapes them; a cursor (the server
        // never hands one out) gets the SDK's own answer, an empty page.
        var tools = prepared.Result!["tools"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Contains(tools, t => (string?)t["name"] == "send_message");
        Assert.All(tools, t => Assert.Equal("object", (string?)t["inputSchema"]!["type"]));
        Assert.Equal(titled, tools.All(t => t.ContainsKey("title")));
        Assert.DoesNotContain("\"default\":null", titled ? "" : prepared.Result.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(withCursor.Result!["tools"]!.AsArray());
    }

    [Fact]
    public async Task CallTool_OutsideTheRole_IsRefusedNamingTheTool()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await ConnectAsync("?role=agent", cancellationToken);

        // Act
        var refused = await client.CallToolAsync("create_task", new Dictionary<string, object?> { ["title"] = "not mine to create" }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(refused.IsError);
        Assert.Contains("'create_task' is not offered to an agent session",
            string.Concat(refused.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)));
    }

    [Fact]
    public async Task Connect_UnknownRole_Is400WithTheReason()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Server.AgentUrl, "/mcp?role=root"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        // Act
        using var response = await http.SendAsync(request, cancellationToken);
        var problem = await response.Content.ReadAsStringAsync(cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown MCP role 'root'", JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString());
    }

    private async Task<List<string>> ToolNamesAsync(string query, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(query, cancellationToken);
        return [.. (await client.ListToolsAsync(cancellationToken: cancellationToken)).Select(t => t.Name)];
    }

    private Task<McpClient> ConnectAsync(string query, CancellationToken cancellationToken) => McpClient.CreateAsync(
        new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp" + query), Name = "role-test" }),
        cancellationToken: cancellationToken);
}
