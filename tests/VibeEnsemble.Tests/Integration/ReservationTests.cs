using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>File reservations over MCP and /ws: exclusive overlaps refused with the holder named, shared coexisting, expiry, escapes.</summary>
public sealed class ReservationTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Reserve_OverlappingExclusive_IsRefusedListingTheHolder_AndFreedByRelease()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var dir = "r" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await AgentAsync("alice", cancellationToken);
        await using var bob = await AgentAsync("bob", cancellationToken);
        await using var carol = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        await carol.RegisterAsync($"carol-{dir}", [], cancellationToken);

        // Act
        var held = await alice.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/api/**" }, ["reason"] = "refactoring the API" }, cancellationToken);
        var again = await alice.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/api/**" }, ["reason"] = "refactoring the API" }, cancellationToken);
        var refused = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"./{dir}/api/users.cs", $"{dir}/docs/a.md" }, ["askHolders"] = true }, cancellationToken);
        var refusedAgain = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/api/users.cs" } }, cancellationToken);
        var asked = await alice.Agent.CallSucceedingAsync("check_inbox", new(), cancellationToken);
        var averted = (await bob.Agent.CallSucceedingAsync("list_conflicts", new() { ["state"] = "resolved", ["limit"] = 500 }, cancellationToken))
            .EnumerateArray().Where(c => c.GetProperty("files").EnumerateArray().Any(f => f.GetString() == $"{dir}/api/users.cs")).ToList();
        var check = await bob.Agent.CallSucceedingAsync("check_conflicts", new() { ["paths"] = new[] { $"{dir}/api/models/user.cs", $"{dir}/web/x.cs" } }, cancellationToken);
        var overWs = await carol.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/conflict/reserve", new { paths = new[] { $"{dir}/api/a.cs" } }, cancellationToken);
        var released = await alice.Agent.CallSucceedingAsync("release_files", new() { ["paths"] = new[] { $"{dir}/api/**" } }, cancellationToken);
        var afterRelease = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/api/users.cs" } }, cancellationToken);

        // Assert
        Assert.True(held.GetProperty("granted").GetBoolean());
        // Reserving it again renews the same lease.
        Assert.Equal(held.GetProperty("reservations")[0].GetProperty("id").GetString(), again.GetProperty("reservations")[0].GetProperty("id").GetString());
        Assert.False(refused.GetProperty("granted").GetBoolean());
        Assert.Empty(refused.GetProperty("reservations").EnumerateArray());
        var overlap = Assert.Single(refused.GetProperty("overlaps").EnumerateArray());
        Assert.Equal($"{dir}/api/users.cs", overlap.GetProperty("path").GetString());
        var holder = overlap.GetProperty("heldBy");
        Assert.Equal((alice.Name, $"{dir}/api/**", "refactoring the API"),
            (holder.GetProperty("agent").GetString(), holder.GetProperty("path").GetString(), holder.GetProperty("reason").GetString()));
        Assert.Contains("send_message", refused.GetProperty("advice").GetString());
        Assert.EndsWith("The holders were asked to release them.", refused.GetProperty("advice").GetString());
        Assert.False(refusedAgain.GetProperty("granted").GetBoolean());
        Assert.Contains(asked.EnumerateArray(), m => m.GetProperty("subject").GetString() == $"{bob.Name} asks for {dir}/api/users.cs");
        // The refusal is recorded once (asking again within the hour is the same one), settled as averted.
        var record = Assert.Single(averted);
        Assert.Equal(("Reservation", "Averted", alice.Name, bob.Name), (record.GetProperty("kind").GetString(), record.GetProperty("outcome").GetString(),
            record.GetProperty("first").GetProperty("agentName").GetString(), record.GetProperty("second").GetProperty("agentName").GetString()));
        Assert.Equal([$"{dir}/api/models/user.cs"], check.GetProperty("overlaps").EnumerateArray().Select(o => o.GetProperty("path").GetString()));
        Assert.Empty(check.GetProperty("hotSpots").EnumerateArray());
        Assert.False(overWs.GetProperty("granted").GetBoolean());
        Assert.Equal(1, released.GetInt32());
        Assert.True(afterRelease.GetProperty("granted").GetBoolean());
    }

    [Fact]
    public async Task Reserve_SharedExpiryAndEscapes_BehaveAsDocumented()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var dir = "r" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await AgentAsync("alice", cancellationToken);
        await using var bob = await AgentAsync("bob", cancellationToken);

        // Act
        var sharedA = await alice.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/docs/**" }, ["exclusive"] = false }, cancellationToken);
        var sharedB = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/docs/guide.md" }, ["exclusive"] = false }, cancellationToken);
        var exclusiveOverShared = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/docs/x.md" } }, cancellationToken);
        var otherExtension = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/docs/*.cs" } }, cancellationToken);
        await alice.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/lib/**" }, ["ttlSeconds"] = 1 }, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        var afterExpiry = await bob.Agent.CallSucceedingAsync("reserve_files", new() { ["paths"] = new[] { $"{dir}/lib/x.cs" } }, cancellationToken);
        var climbing = await bob.Agent.CallToolAsync("reserve_files", new Dictionary<string, object?> { ["paths"] = new[] { $"{dir}/../../etc/passwd" } }, cancellationToken: cancellationToken);
        var absolute = await bob.Agent.CallToolAsync("reserve_files", new Dictionary<string, object?> { ["paths"] = new[] { "/etc/passwd" } }, cancellationToken: cancellationToken);
        var tooLong = await bob.Agent.CallToolAsync("reserve_files", new Dictionary<string, object?> { ["paths"] = new[] { "a.cs" }, ["ttlSeconds"] = 999_999 }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(sharedA.GetProperty("granted").GetBoolean());
        Assert.True(sharedB.GetProperty("granted").GetBoolean());
        Assert.False(exclusiveOverShared.GetProperty("granted").GetBoolean());
        // Only alice's shared lease is in the way: bob's own never is.
        Assert.Equal(alice.Name, Assert.Single(exclusiveOverShared.GetProperty("overlaps").EnumerateArray()).GetProperty("heldBy").GetProperty("agent").GetString());
        // docs/*.cs and docs/** overlap (** holds .cs files too): cautious by design.
        Assert.False(otherExtension.GetProperty("granted").GetBoolean());
        Assert.True(afterExpiry.GetProperty("granted").GetBoolean());
        Assert.Contains("climbs out with '..'", McpCalls.Text(climbing));
        Assert.Contains("outside the project", McpCalls.Text(absolute));
        Assert.Contains("'ttlSeconds' must be between 1 and 86400", McpCalls.Text(tooLong));
    }

    private async Task<NamedAgent> AgentAsync(string role, CancellationToken cancellationToken)
    {
        var name = $"{role}-{Guid.NewGuid():N}"[..16];
        var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = name }), cancellationToken: cancellationToken);
        await client.CallSucceedingAsync("register_agent", new() { ["name"] = name }, cancellationToken);
        return new NamedAgent(name, client);
    }

    private sealed record NamedAgent(string Name, McpClient Agent) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Agent.DisposeAsync();
    }
}
