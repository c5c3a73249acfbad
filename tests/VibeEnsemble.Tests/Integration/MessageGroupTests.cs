using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Named message groups: agents join over MCP (<c>join_group</c>, <c>register_agent</c> with <c>groups</c>) and
/// over <c>/ws</c> (<c>vibe/agent/group</c>); a message to <c>group:name</c> reaches exactly the members, offline
/// ones included, and membership outlives a reconnection and a server restart until the agent leaves.
/// </summary>
public sealed class MessageGroupTests
{
    [Fact]
    public async Task AgentsJoinAndLeaveAGroup_AMessageToItReachesExactlyItsMembers_EvenAfterARestart()
    {
        // Arrange: alice joins by tool, bob (/ws) by method, carol by registering and then leaves, dave joins and
        // goes offline, erin only sends.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        JsonElement firstAtAlice, daveQueue, secondAtDave, carolInbox;
        JsonElement joinedBob;
        await using (var server = await ServerProcess.StartAsync(data.Path, cancellationToken))
        {
            await using var alice = await McpAgentAsync(server, "alice", null, cancellationToken);
            await alice.CallSucceedingAsync("join_group", new() { ["group"] = "Reviewers" }, cancellationToken);
            await using var bob = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
            await bob.RegisterAsync("bob", [], cancellationToken);
            joinedBob = await bob.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/agent/group", new { group = "reviewers" }, cancellationToken);
            await using var carol = await McpAgentAsync(server, "carol", ["reviewers", "release"], cancellationToken);
            await carol.CallSucceedingAsync("join_group", new() { ["group"] = "reviewers", ["leave"] = true }, cancellationToken);
            var dave = await McpAgentAsync(server, "dave", ["reviewers"], cancellationToken);
            await dave.DisposeAsync();
            await using var erin = await McpAgentAsync(server, "erin", null, cancellationToken);

            // Act
            await erin.CallSucceedingAsync("send_message", new() { ["to"] = "group:reviewers", ["body"] = "PR #7 needs eyes" }, cancellationToken);
            firstAtAlice = await alice.CallSucceedingAsync("check_inbox", new(), cancellationToken);
            await bob.WaitForMessageAsync(m => m.GetProperty("body").GetString() == "PR #7 needs eyes", cancellationToken);
            await erin.CallSucceedingAsync("send_message", new() { ["to"] = "group:release", ["body"] = "freeze at 5" }, cancellationToken);
            carolInbox = await carol.CallSucceedingAsync("check_inbox", new(), cancellationToken);
        }

        await using (var restarted = await ServerProcess.StartAsync(data.Path, cancellationToken))
        {
            // dave returns without naming groups: he keeps the one he joined, and finds what came while he was away.
            await using var dave = await McpAgentAsync(restarted, "dave", null, cancellationToken);
            daveQueue = await dave.CallSucceedingAsync("check_inbox", new(), cancellationToken);
            await using var erin = await McpAgentAsync(restarted, "erin", null, cancellationToken);
            await erin.CallSucceedingAsync("send_message", new() { ["to"] = "group:reviewers", ["body"] = "PR #8 too" }, cancellationToken);
            secondAtDave = await dave.CallSucceedingAsync("check_inbox", new(), cancellationToken);
        }

        // Assert
        Assert.Equal(["reviewers"], joinedBob.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["PR #7 needs eyes"], Bodies(firstAtAlice));
        Assert.Equal("group:reviewers", firstAtAlice[0].GetProperty("to").GetString());
        Assert.Equal(["freeze at 5"], Bodies(carolInbox));
        Assert.Equal(["PR #7 needs eyes"], Bodies(daveQueue));
        Assert.Equal(["PR #8 too"], Bodies(secondAtDave));
    }

    [Theory]
    [InlineData(null, "'group' is required")]
    [InlineData("", "'group' is required")]
    [InlineData("LONG", "'group' must be at most 100 characters")]
    public async Task JoinGroup_MissingOrTooLongName_IsAToolErrorNamingIt(string? group, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var alice = await McpAgentAsync(server, "alice", null, cancellationToken);
        var arguments = new Dictionary<string, object?>();
        if (group is not null)
        {
            arguments["group"] = group == "LONG" ? new string('g', 101) : group;
        }

        // Act
        var result = await alice.CallToolAsync("join_group", arguments, cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, McpCalls.Text(result));
    }

    [Theory]
    [InlineData(33, 10, "'groups' may hold at most 32 entries.")]
    [InlineData(100_000, 10, "'groups' lists 100000 entries; it may hold at most 32.")]
    [InlineData(1, 101, "Each entry of 'groups' must be at most 100 characters.")]
    public async Task RegisterAgent_TooManyOrTooLongGroups_IsAToolErrorNamingIt(int count, int length, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var client = await McpCalls.ConnectHttpAsync(server, "alice", cancellationToken);
        var groups = Enumerable.Range(0, count).Select(i => $"g{i}".PadRight(length, 'x')).ToArray();

        // Act
        var result = await client.CallToolAsync("register_agent", new Dictionary<string, object?> { ["name"] = "alice", ["groups"] = groups }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, McpCalls.Text(result));
    }

    [Fact]
    public async Task JoinGroup_BeforeRegistering_SaysToRegisterFirst()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var stranger = await McpCalls.ConnectHttpAsync(server, null, cancellationToken);

        // Act
        var result = await stranger.CallToolAsync("join_group", new Dictionary<string, object?> { ["group"] = "reviewers" }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("call register_agent", McpCalls.Text(result));
    }

    private static async Task<McpClient> McpAgentAsync(ServerProcess server, string name, string[]? groups, CancellationToken cancellationToken)
    {
        var client = await McpCalls.ConnectHttpAsync(server, name, cancellationToken);
        var arguments = new Dictionary<string, object?> { ["name"] = name };
        if (groups is not null)
        {
            arguments["groups"] = groups;
        }

        await client.CallSucceedingAsync("register_agent", arguments, cancellationToken);
        return client;
    }

    private static string[] Bodies(JsonElement messages) => [.. messages.EnumerateArray().Select(m => m.GetProperty("body").GetString()!)];
}
