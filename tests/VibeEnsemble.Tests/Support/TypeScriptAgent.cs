using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VibeEnsemble.Tests.Support;

/// <summary>
/// An agent on the official TypeScript MCP SDK (<c>tests/js/clients/tool-driver.mjs</c>), driven call by call from a
/// test. Disposing it ends the session as the SDK does (DELETE on Streamable HTTP, close on WebSocket).
/// </summary>
internal sealed class TypeScriptAgent : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _errors = new();

    private TypeScriptAgent(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_errors) { _errors.AppendLine(e.Data); } } };
        _process.BeginErrorReadLine();
    }

    /// <summary>Connects over <paramref name="transport"/> (<c>http</c> or <c>ws</c>) and registers as <paramref name="name"/>.</summary>
    public static async Task<TypeScriptAgent> StartAsync(
        ServerProcess server, string transport, string name, string[] capabilities, CancellationToken cancellationToken)
    {
        var url = transport == "ws" ? new Uri(server.AgentWebSocketUrl, "/mcp/ws") : new Uri(server.AgentUrl, "/mcp");
        var startInfo = new ProcessStartInfo(RepoPaths.Node)
        {
            WorkingDirectory = RepoPaths.JsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "clients/tool-driver.mjs", transport, url.ToString() })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var agent = new TypeScriptAgent(Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start node."));
        var ready = await agent.ReadLineAsync(cancellationToken);
        if (ready["ready"] is null)
        {
            throw new InvalidOperationException($"The TypeScript agent did not connect: {ready}");
        }

        await agent.CallAsync("register_agent", new JsonObject { ["name"] = name, ["capabilities"] = new JsonArray([.. capabilities.Select(c => (JsonNode)c)]) }, cancellationToken);
        return agent;
    }

    /// <summary>Calls a tool and returns its result; a tool error fails the test with its text.</summary>
    public async Task<JsonElement> CallAsync(string tool, JsonObject arguments, CancellationToken cancellationToken)
    {
        var (result, _) = await CallTimedAsync(tool, arguments, cancellationToken);
        return result;
    }

    /// <summary>As <see cref="CallAsync"/>, with when the answer reached the client (ms since the epoch, its clock).</summary>
    public async Task<(JsonElement Result, long AnsweredAt)> CallTimedAsync(string tool, JsonObject arguments, CancellationToken cancellationToken)
    {
        await SendAsync(tool, arguments);
        return await AnswerAsync(tool, cancellationToken);
    }

    /// <summary>Asks for a call without reading its answer yet (a waiting call to overlap with others).</summary>
    public Task SendAsync(string tool, JsonObject arguments) =>
        _process.StandardInput.WriteLineAsync(new JsonObject { ["tool"] = tool, ["arguments"] = arguments }.ToJsonString());

    /// <summary>Reads the answer to the call asked last.</summary>
    public async Task<(JsonElement Result, long AnsweredAt)> AnswerAsync(string tool, CancellationToken cancellationToken)
    {
        var answer = await ReadLineAsync(cancellationToken);
        if (answer["isError"]!.GetValue<bool>())
        {
            throw new InvalidOperationException($"{tool} failed: {answer["result"]}");
        }

        return (JsonSerializer.SerializeToElement(answer["result"]), answer["at"]!.GetValue<long>());
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TestConstants.DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<JsonNode> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            lock (_errors)
            {
                throw new InvalidOperationException($"The TypeScript agent exited: {_errors}");
            }
        }

        return JsonNode.Parse(line)!;
    }
}
