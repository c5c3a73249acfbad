using System.Text.Json;
using System.Text.Json.Nodes;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Messaging with agents on the official TypeScript MCP SDK, one over Streamable HTTP and one over WebSocket, and a
/// native /ws agent: direct, group and broadcast messages reach exactly their recipients, an offline agent finds its
/// queue when it returns, an acknowledgement is recorded, and a waiting agent hears of a message within 100 ms.
/// </summary>
public sealed class TypeScriptMessagingTests
{
    [Fact]
    public async Task TypeScriptAgentsOverHttpAndWebSocket_GetExactlyTheirMessages_QueueAckAndWait()
    {
        // Arrange: ana (TS, Streamable HTTP, frontend), ben (TS, WebSocket, frontend), cy (/ws, backend), dee (TS,
        // Streamable HTTP, in the named group "ops"; leaves before anything is sent).
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var ana = await TypeScriptAgent.StartAsync(server, "http", "ana", ["frontend"], cancellationToken);
        await using var ben = await TypeScriptAgent.StartAsync(server, "ws", "ben", ["frontend"], cancellationToken);
        await using var cy = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await cy.RegisterAsync("cy", ["backend"], cancellationToken);
        await using (var dee = await TypeScriptAgent.StartAsync(server, "http", "dee", [], cancellationToken))
        {
            await dee.CallAsync("join_group", new JsonObject { ["group"] = "ops" }, cancellationToken);
        }

        // Act
        var direct = await cy.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/message/send",
            new { to = "ana", body = "please review #41", ackRequired = true }, cancellationToken);
        await cy.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/message/send", new { to = "group:frontend", body = "design sync at 3" }, cancellationToken);
        await ana.CallAsync("send_message", new JsonObject { ["to"] = "everyone", ["body"] = "main is green" }, cancellationToken);
        await ben.CallAsync("send_message", new JsonObject { ["to"] = "group:ops", ["body"] = "deploy window moved" }, cancellationToken);
        await cy.WaitForMessageAsync(m => m.GetProperty("body").GetString() == "main is green", cancellationToken);
        var anaInbox = await ana.CallAsync("check_inbox", new JsonObject(), cancellationToken);
        var acked = await ana.CallAsync("acknowledge_message", new JsonObject { ["messageId"] = direct.GetProperty("id").GetString() }, cancellationToken);
        var benInbox = await ben.CallAsync("check_inbox", new JsonObject(), cancellationToken);
        await ben.SendAsync("wait_for_messages", new JsonObject { ["waitSeconds"] = 20 });
        await Task.Delay(500, cancellationToken); // ben's wait is under way before the message is sent
        var (_, sentAt) = await ana.CallTimedAsync("send_message", new JsonObject { ["to"] = "ben", ["body"] = "ping" }, cancellationToken);
        var (woke, wokeAt) = await ben.AnswerAsync("wait_for_messages", cancellationToken);
        await using var deeAgain = await TypeScriptAgent.StartAsync(server, "http", "dee", [], cancellationToken);
        var deeQueue = await deeAgain.CallAsync("check_inbox", new JsonObject(), cancellationToken);

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine($"wait_for_messages answered {wokeAt - sentAt} ms after send_message");
        Assert.Equal(["design sync at 3", "please review #41"], Bodies(anaInbox).Order());
        Assert.Equal("Acknowledged", acked.GetProperty("status").GetString());
        Assert.Equal(["design sync at 3", "main is green"], Bodies(benInbox).Order());
        Assert.Equal(["ping"], Bodies(woke));
        Assert.True(wokeAt - sentAt < 100, $"wait_for_messages answered {wokeAt - sentAt} ms after send_message was");
        Assert.Equal(["deploy window moved", "main is green"], Bodies(deeQueue).Order());
        Assert.Equal(0, cy.PendingMessages);
    }

    private static string[] Bodies(JsonElement messages) => [.. messages.EnumerateArray().Select(m => m.GetProperty("body").GetString()!)];
}
