using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VibeEnsemble.Tests.Support;

/// <summary>One turn of the scripted model: text and tool calls, in order.</summary>
internal sealed record ModelTurn(IReadOnlyList<ModelBlock> Blocks, int Status = 200, int? RetryAfterSeconds = null)
{
    public static ModelTurn Say(string text) => new([new ModelBlock.Text(text)]);

    public static ModelTurn Call(string tool, object input) => new([new ModelBlock.ToolUse(tool, JsonSerializer.Serialize(input))]);

    /// <summary>
    /// An HTTP error instead of a message, e.g. 500 (Claude Code retries it), or 429 with a long retry-after (a usage
    /// limit: it gives up at once).
    /// </summary>
    public static ModelTurn Fail(int status, int? retryAfterSeconds = null) => new([], status, retryAfterSeconds);
}

internal abstract record ModelBlock
{
    public sealed record Text(string Value) : ModelBlock;

    public sealed record ToolUse(string Name, string InputJson) : ModelBlock;
}

/// <summary>
/// A stand-in for the Anthropic Messages API on 127.0.0.1, so that real Claude Code runs without network or key:
/// it answers <c>POST /v1/messages</c> with the streamed event format, each turn decided by a script from the
/// request, and keeps every request for the test to look at.
/// </summary>
internal sealed class ScriptedModel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<JsonNode, ModelTurn> _script;
    private int _messageCount;

    private ScriptedModel(WebApplication app, Func<JsonNode, ModelTurn> script)
    {
        _app = app;
        _script = script;
    }

    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ScriptedModel> StartAsync(Func<JsonNode, ModelTurn> script, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var model = new ScriptedModel(app, script);
        app.MapMethods("/", ["HEAD", "GET"], () => Results.Ok());
        app.MapPost("/v1/messages", model.AnswerAsync);
        app.MapPost("/v1/messages/count_tokens", () => Results.Json(new { input_tokens = 10 }));
        await app.StartAsync(cancellationToken);
        model.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return model;
    }

    /// <summary>The text of every tool result in the request's last user message.</summary>
    public static IEnumerable<string> ToolResults(JsonNode request) =>
        request["messages"]?.AsArray().LastOrDefault()?["content"] is JsonArray blocks
            ? blocks.Where(b => (string?)b?["type"] == "tool_result").Select(b => b!["content"]?.ToJsonString() ?? "")
            : [];

    /// <summary>How many tool results the conversation holds so far: which step of a script the model is at.</summary>
    public static int ToolResultCount(JsonNode request) =>
        request["messages"]?.AsArray().Sum(m => m?["content"] is JsonArray blocks ? blocks.Count(b => (string?)b?["type"] == "tool_result") : 0) ?? 0;

    /// <summary>The whole request as text: to look for the prompt, the system prompt or a tool name.</summary>
    public static string Text(JsonNode request) => request.ToJsonString();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) ?? new JsonObject();
        Requests.Enqueue(request);
        var turn = _script(request);
        if (turn.Status != 200)
        {
            context.Response.StatusCode = turn.Status;
            if (turn.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var type = turn.Status == 429 ? "rate_limit_error" : "api_error";
            await context.Response.WriteAsJsonAsync(new { type = "error", error = new { type, message = "scripted failure" } });
            return;
        }

        var id = $"msg_{Interlocked.Increment(ref _messageCount)}";
        var usage = new { input_tokens = 10, output_tokens = 5, cache_creation_input_tokens = 0, cache_read_input_tokens = 0 };
        var stop = turn.Blocks.Any(b => b is ModelBlock.ToolUse) ? "tool_use" : "end_turn";
        var model = (string?)request["model"] ?? "claude-scripted";
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = model,
                ["content"] = new JsonArray([.. turn.Blocks.Select((b, i) => Block(b, i, id, complete: true))]),
                ["stop_reason"] = stop, ["stop_sequence"] = null, ["usage"] = JsonSerializer.SerializeToNode(usage),
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var events = new StringBuilder();
        void Send(string name, object data) => events.Append("event: ").Append(name).Append("\ndata: ")
            .Append(data is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(data)).Append("\n\n");
        Send("message_start", new
        {
            type = "message_start",
            message = new { id, type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage },
        });
        for (var index = 0; index < turn.Blocks.Count; index++)
        {
            var block = turn.Blocks[index];
            Send("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = Block(block, index, id, complete: false) });
            Send("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = index,
                ["delta"] = block switch
                {
                    ModelBlock.Text text => new JsonObject { ["type"] = "text_delta", ["text"] = text.Value },
                    ModelBlock.ToolUse tool => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = tool.InputJson },
                    _ => throw new InvalidOperationException(),
                },
            });
            Send("content_block_stop", new { type = "content_block_stop", index });
        }

        Send("message_delta", new { type = "message_delta", delta = new { stop_reason = stop, stop_sequence = (string?)null }, usage = new { output_tokens = 5 } });
        Send("message_stop", new { type = "message_stop" });
        await context.Response.WriteAsync(events.ToString(), context.RequestAborted);
    }

    private static JsonNode Block(ModelBlock block, int index, string messageId, bool complete) => block switch
    {
        ModelBlock.Text text => new JsonObject { ["type"] = "text", ["text"] = complete ? text.Value : "" },
        ModelBlock.ToolUse tool => new JsonObject
        {
            ["type"] = "tool_use", ["id"] = $"toolu_{messageId}_{index}", ["name"] = tool.Name,
            ["input"] = complete ? JsonNode.Parse(tool.InputJson) : new JsonObject(),
        },
        _ => throw new InvalidOperationException(),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
