using System.Text.Json;

namespace VibeEnsemble.Infrastructure.Workers.Output;

public enum StreamJsonKind
{
    /// <summary>Not JSON, or JSON of a shape we do not know: kept as text.</summary>
    Raw,
    Init,
    AssistantText,
    ToolUse,
    ToolResult,

    /// <summary>Claude Code retrying a model API call: a sign of life, not of progress.</summary>
    ApiRetry,

    /// <summary>Any other system line (task_started, task_notification, ...).</summary>
    System,
    Result,
}

/// <summary>
/// One line of <c>claude -p --output-format stream-json</c>, reduced to what the server acts on and shows. Shapes
/// measured with Claude Code 2.1.x (see the orchestration notes); anything else is <see cref="StreamJsonKind.Raw"/>
/// or <see cref="StreamJsonKind.System"/>, never an error.
/// </summary>
public sealed record StreamJsonEvent(StreamJsonKind Kind, string Summary)
{
    public const int SummaryMaxChars = 500;

    /// <summary>The final result's text (<see cref="StreamJsonKind.Result"/>).</summary>
    public string? ResultText { get; init; }

    public bool IsError { get; init; }

    public string? Subtype { get; init; }

    /// <summary>HTTP status of the model API failure that ended the run (429, 500, 529), if any.</summary>
    public int? ApiErrorStatus { get; init; }

    /// <summary>The <c>error</c> of a synthetic assistant message ("rate_limit", "server_error").</summary>
    public string? AssistantError { get; init; }

    public decimal? CostUsd { get; init; }

    public int? Turns { get; init; }

    public int PermissionDenials { get; init; }

    /// <summary>The tools the session was refused (<c>permission_denials[].tool_name</c>), distinct, in order.</summary>
    public IReadOnlyList<string> DeniedTools { get; init; } = [];

    public static StreamJsonEvent Parse(string line)
    {
        if (line.Length == 0 || line[0] != '{')
        {
            return Raw(line);
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return Text(root, "type") switch
            {
                "system" => System(root),
                "assistant" => Assistant(root),
                "user" => User(root),
                "result" => Result(root),
                _ => Raw(line),
            };
        }
        catch (JsonException)
        {
            return Raw(line);
        }
    }

    private static StreamJsonEvent System(JsonElement root) => Text(root, "subtype") switch
    {
        "init" => new(StreamJsonKind.Init, $"session started: model {Text(root, "model") ?? "?"}, MCP {McpStatus(root)}"),
        "api_retry" => new(StreamJsonKind.ApiRetry,
            $"model API retry {Number(root, "attempt")}/{Number(root, "max_retries")}: {Text(root, "error") ?? "error"} ({Number(root, "error_status")})"),
        var other => new(StreamJsonKind.System, other ?? "system"),
    };

    private static StreamJsonEvent Assistant(JsonElement root)
    {
        var error = Text(root, "error");
        foreach (var block in Blocks(root))
        {
            switch (Text(block, "type"))
            {
                case "tool_use":
                    var input = block.TryGetProperty("input", out var value) ? value.GetRawText() : "{}";
                    return new(StreamJsonKind.ToolUse, Cut($"{Text(block, "name")} {input}")) { AssistantError = error };
                case "text":
                    return new(StreamJsonKind.AssistantText, Cut(Text(block, "text") ?? "")) { AssistantError = error };
            }
        }

        return new(StreamJsonKind.AssistantText, "") { AssistantError = error };
    }

    private static StreamJsonEvent User(JsonElement root)
    {
        foreach (var block in Blocks(root))
        {
            if (Text(block, "type") == "tool_result")
            {
                var failed = block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
                var content = !block.TryGetProperty("content", out var c) ? ""
                    : c.ValueKind == JsonValueKind.String ? c.GetString() ?? ""
                    : c.ValueKind == JsonValueKind.Array ? string.Join("\n", c.EnumerateArray().Select(part => Text(part, "text") ?? part.GetRawText()))
                    : c.GetRawText();
                return new(StreamJsonKind.ToolResult, Cut((failed ? "error: " : "") + content));
            }
        }

        return new(StreamJsonKind.System, "user turn");
    }

    private static StreamJsonEvent Result(JsonElement root)
    {
        var isError = root.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
        var text = Text(root, "result");
        var denials = root.TryGetProperty("permission_denials", out var d) && d.ValueKind == JsonValueKind.Array ? d.GetArrayLength() : 0;
        var cost = root.TryGetProperty("total_cost_usd", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDecimal() : (decimal?)null;
        var status = root.TryGetProperty("api_error_status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : (int?)null;
        var turns = root.TryGetProperty("num_turns", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : (int?)null;
        return new(StreamJsonKind.Result, Cut($"{(isError ? "error" : "result")}: {text}"))
        {
            ResultText = text,
            IsError = isError,
            Subtype = Text(root, "subtype"),
            ApiErrorStatus = status,
            CostUsd = cost,
            Turns = turns,
            PermissionDenials = denials,
            DeniedTools = denials == 0 ? [] : [.. d.EnumerateArray().Select(x => Text(x, "tool_name")).OfType<string>().Distinct().Take(20)],
        };
    }

    private static StreamJsonEvent Raw(string line) => new(StreamJsonKind.Raw, Cut(line));

    private static IEnumerable<JsonElement> Blocks(JsonElement root) =>
        root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? content.EnumerateArray()
            : [];

    private static string McpStatus(JsonElement root) =>
        root.TryGetProperty("mcp_servers", out var servers) && servers.ValueKind == JsonValueKind.Array
            ? string.Join(", ", servers.EnumerateArray().Select(s => $"{Text(s, "name")}={Text(s, "status")}"))
            : "none";

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetRawText() : "?";

    private static string Cut(string text) => text.Length <= SummaryMaxChars ? text : string.Concat(text.AsSpan(0, SummaryMaxChars), "…");
}
