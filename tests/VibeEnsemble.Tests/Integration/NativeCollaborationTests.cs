using System.Text.Json;
using StreamJsonRpc;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The <c>vibe/message/*</c>, <c>vibe/issue/*</c> and <c>vibe/permission/*</c> twins answer like their MCP tools.</summary>
public sealed class NativeCollaborationTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task MessageIssueAndPermissionTwins_OverTheNativeApi_AnswerLikeTheTools()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var alice = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        await alice.RegisterAsync($"alice-{suffix}", ["docs"], cancellationToken);
        await using var bob = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        await bob.RegisterAsync($"bob-{suffix}", ["docs"], cancellationToken);

        // Act
        var sent = await Call(alice, "vibe/message/send", new { to = $"bob-{suffix}", body = $"draft ready {suffix}", subject = "docs" });
        var replied = await Call(bob, "vibe/message/reply", new { messageId = sent.GetProperty("id").GetString(), body = "reviewing" });
        var inbox = await Call(alice, "vibe/message/inbox", new { });
        var found = await Call(bob, "vibe/message/search", new { query = $"draft ready {suffix}" });
        var issue = await Call(alice, "vibe/issue/create", new { title = $"Broken link {suffix}", labels = new[] { "docs" }, assignee = $"bob-{suffix}" });
        var moved = await Call(bob, "vibe/issue/update", new { issueId = issue.GetProperty("id").GetString(), state = "Resolved" });
        var history = await Call(alice, "vibe/issue/get", new { issueId = issue.GetProperty("id").GetString() });
        var pending = await Call(alice, "vibe/permission/list", new { });
        var unknown = await Assert.ThrowsAsync<RemoteInvocationException>(() => Call(alice, "vibe/message/send", new { to = "nobody-here", body = "x" }));
        // StreamJsonRpc reports -32602 (invalid params) as RemoteMethodNotFoundException.
        var badState = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => Call(alice, "vibe/issue/list", new { state = "Done" }));

        // Assert
        Assert.Equal((sent.GetProperty("threadId").GetString(), $"alice-{suffix}"), (replied.GetProperty("threadId").GetString(), replied.GetProperty("to").GetString()));
        Assert.Contains(inbox.EnumerateArray(), m => m.GetProperty("body").GetString() == "reviewing");
        Assert.Single(found.EnumerateArray());
        Assert.Equal("Resolved", moved.GetProperty("state").GetString());
        Assert.Contains($"bob-{suffix}", history.GetProperty("history")[0].GetProperty("author").GetString());
        Assert.Equal(JsonValueKind.Array, pending.ValueKind);
        Assert.Contains("Agent 'nobody-here' was not found.", unknown.Message);
        Assert.Equal(StreamJsonRpc.Protocol.JsonRpcErrorCode.InvalidParams, badState.ErrorCode);
        Assert.Contains("'state' must be Open, InProgress, Blocked, Resolved or Closed", badState.Message);
    }

    private static Task<JsonElement> Call(NativeRpcClient client, string method, object parameters) =>
        client.Rpc.InvokeWithParameterObjectAsync<JsonElement>(method, parameters, TestContext.Current.CancellationToken);
}
