using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

// The suite still checks logging and sampling on the 2025-11-25 revision, which the SDK marks obsolete for 2026-07-28.
#pragma warning disable MCP9005

namespace VibeEnsemble.Web.Mcp.Conformance;

/// <summary>
/// The fixture tools the MCP conformance suite (<c>@modelcontextprotocol/conformance</c>) calls by name. Served only
/// with <c>--conformance</c>; each returns exactly the payload its scenario describes.
/// </summary>
[McpServerToolType]
internal sealed class ConformanceTools
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(50);

    [McpServerTool(Name = "test_simple_text"), Description("Returns a fixed text.")]
    public static string SimpleText() => "This is a simple text response for testing.";

    [McpServerTool(Name = "test_image_content"), Description("Returns a 1x1 PNG image.")]
    public static ImageContentBlock ImageContent() =>
        ImageContentBlock.FromBytes(Convert.FromBase64String(ConformanceContent.RedPixelPng), "image/png");

    [McpServerTool(Name = "test_audio_content"), Description("Returns a tiny WAV file.")]
    public static AudioContentBlock AudioContent() =>
        AudioContentBlock.FromBytes(Convert.FromBase64String(ConformanceContent.SilentWav), "audio/wav");

    [McpServerTool(Name = "test_embedded_resource"), Description("Returns an embedded text resource.")]
    public static EmbeddedResourceBlock EmbeddedResource() => new()
    {
        Resource = new TextResourceContents
        {
            Uri = "test://embedded-resource",
            MimeType = "text/plain",
            Text = "This is an embedded resource content.",
        },
    };

    [McpServerTool(Name = "test_multiple_content_types"), Description("Returns text, an image and a resource.")]
    public static IEnumerable<ContentBlock> MultipleContentTypes() =>
    [
        new TextContentBlock { Text = "Multiple content types test:" },
        ImageContent(),
        new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents
            {
                Uri = "test://mixed-content-resource",
                MimeType = "application/json",
                Text = """{"test":"data","value":123}""",
            },
        },
    ];

    [McpServerTool(Name = "test_tool_with_logging"), Description("Sends three info log notifications while it runs.")]
    public static async Task<string> ToolWithLoggingAsync(McpServer server, CancellationToken cancellationToken)
    {
        string[] steps = ["Tool execution started", "Tool processing data", "Tool execution completed"];
        for (var i = 0; i < steps.Length; i++)
        {
            if (i > 0)
            {
                await Task.Delay(s_step, cancellationToken);
            }

            await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification,
                new LoggingMessageNotificationParams
                {
                    Level = LoggingLevel.Info,
                    Logger = "conformance",
                    Data = JsonSerializer.SerializeToElement(steps[i], McpJsonUtilities.DefaultOptions),
                },
                cancellationToken: cancellationToken);
        }

        return "Tool with logging executed successfully.";
    }

    [McpServerTool(Name = "test_error_handling"), Description("Always fails.")]
    public static string ErrorHandling() =>
        throw new McpException("This tool intentionally returns an error for testing");

    [McpServerTool(Name = "test_tool_with_progress"), Description("Reports progress 0, 50 and 100 of 100.")]
    public static async Task<string> ToolWithProgressAsync(
        McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var token = context.Params?.ProgressToken;
        for (var progress = 0; progress <= 100; progress += 50)
        {
            if (progress > 0)
            {
                await Task.Delay(s_step, cancellationToken);
            }

            if (token is { } progressToken)
            {
                await server.NotifyProgressAsync(progressToken,
                    new ProgressNotificationValue { Progress = progress, Total = 100 },
                    cancellationToken: cancellationToken);
            }
        }

        return "Tool with progress executed successfully.";
    }

    [McpServerTool(Name = "test_sampling"), Description("Asks the client's model to answer a prompt.")]
    public static async Task<string> SamplingAsync(
        McpServer server, [Description("The prompt to send to the LLM.")] string prompt, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Sampling is null)
        {
            throw new McpException("The client does not support sampling.");
        }

        var result = await server.SampleAsync(new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
            MaxTokens = 100,
        }, cancellationToken);
        var text = string.Join("", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        return $"LLM response: {text}";
    }

    [McpServerTool(Name = "test_elicitation"), Description("Asks the user for a username and an email address.")]
    public static async Task<string> ElicitationAsync(
        McpServer server, [Description("The message to show the user.")] string message, CancellationToken cancellationToken)
    {
        var result = await ElicitAsync(server, message, new RequestSchema
        {
            Properties =
            {
                ["username"] = new StringSchema { Description = "User's response" },
                ["email"] = new StringSchema { Description = "User's email address" },
            },
            Required = ["username", "email"],
        }, cancellationToken);
        return $"User response: action={result.Action}, content={Serialize(result.Content)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1034_defaults"), Description("Elicits every primitive type with a default.")]
    public static async Task<string> ElicitationDefaultsAsync(McpServer server, CancellationToken cancellationToken)
    {
        var result = await ElicitAsync(server, "Please review and update the form fields with defaults", new RequestSchema
        {
            Properties =
            {
                ["name"] = new StringSchema { Description = "User name", Default = "John Doe" },
                ["age"] = new NumberSchema { Type = "integer", Description = "User age", Default = 30 },
                ["score"] = new NumberSchema { Description = "User score", Default = 95.5 },
                ["status"] = new UntitledSingleSelectEnumSchema
                {
                    Description = "User status", Enum = ["active", "inactive", "pending"], Default = "active",
                },
                ["verified"] = new BooleanSchema { Description = "Verification status", Default = true },
            },
        }, cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={Serialize(result.Content)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1330_enums"), Description("Elicits all five enum schema variants.")]
    public static async Task<string> ElicitationEnumsAsync(McpServer server, CancellationToken cancellationToken)
    {
        var result = await ElicitAsync(server, "Please select options from the enum fields", new RequestSchema
        {
            Properties =
            {
                ["untitledSingle"] = new UntitledSingleSelectEnumSchema
                {
                    Description = "Choose an option", Enum = ["option1", "option2", "option3"],
                },
                ["titledSingle"] = new TitledSingleSelectEnumSchema
                {
                    Description = "Choose a titled option",
                    OneOf =
                    [
                        new EnumSchemaOption { Const = "value1", Title = "First Option" },
                        new EnumSchemaOption { Const = "value2", Title = "Second Option" },
                        new EnumSchemaOption { Const = "value3", Title = "Third Option" },
                    ],
                },
#pragma warning disable MCP9001 // The legacy variant is deprecated by the spec, and the scenario checks exactly it.
                ["legacyEnum"] = new LegacyTitledEnumSchema
                {
                    Description = "Choose a legacy option",
                    Enum = ["opt1", "opt2", "opt3"],
                    EnumNames = ["Option One", "Option Two", "Option Three"],
                },
#pragma warning restore MCP9001
                ["untitledMulti"] = new UntitledMultiSelectEnumSchema
                {
                    Description = "Choose multiple options",
                    Items = new UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] },
                },
                ["titledMulti"] = new TitledMultiSelectEnumSchema
                {
                    Description = "Choose multiple titled options",
                    Items = new TitledEnumItemsSchema
                    {
                        AnyOf =
                        [
                            new EnumSchemaOption { Const = "value1", Title = "First Choice" },
                            new EnumSchemaOption { Const = "value2", Title = "Second Choice" },
                            new EnumSchemaOption { Const = "value3", Title = "Third Choice" },
                        ],
                    },
                },
            },
        }, cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={Serialize(result.Content)}";
    }

    private static async Task<ElicitResult> ElicitAsync(
        McpServer server, string message, RequestSchema schema, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Elicitation is null)
        {
            throw new McpException("The client does not support elicitation.");
        }

        return await server.ElicitAsync(new ElicitRequestParams { Message = message, RequestedSchema = schema },
            cancellationToken);
    }

    private static string Serialize(IDictionary<string, JsonElement>? content) =>
        JsonSerializer.Serialize(content ?? new Dictionary<string, JsonElement>(), McpJsonUtilities.DefaultOptions);
}
