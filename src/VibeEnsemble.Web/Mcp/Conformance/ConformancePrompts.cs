using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace VibeEnsemble.Web.Mcp.Conformance;

/// <summary>Fixture prompts of the MCP conformance suite.</summary>
[McpServerPromptType]
internal sealed class ConformancePrompts
{
    [McpServerPrompt(Name = "test_simple_prompt"), Description("A simple prompt without arguments.")]
    public static PromptMessage SimplePrompt() => User(new TextContentBlock { Text = "This is a simple prompt for testing." });

    [McpServerPrompt(Name = "test_prompt_with_arguments"), Description("A prompt with two arguments.")]
    public static PromptMessage PromptWithArguments(
        [Description("First test argument")] string arg1,
        [Description("Second test argument")] string arg2) =>
        User(new TextContentBlock { Text = $"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'" });

    [McpServerPrompt(Name = "test_prompt_with_embedded_resource"), Description("A prompt embedding a resource.")]
    public static IEnumerable<PromptMessage> PromptWithEmbeddedResource(
        [Description("URI of the resource to embed")] string resourceUri) =>
    [
        User(new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents
            {
                Uri = resourceUri, MimeType = "text/plain", Text = "Embedded resource content for testing.",
            },
        }),
        User(new TextContentBlock { Text = "Please process the embedded resource above." }),
    ];

    [McpServerPrompt(Name = "test_prompt_with_image"), Description("A prompt with an image.")]
    public static IEnumerable<PromptMessage> PromptWithImage() =>
    [
        User(ImageContentBlock.FromBytes(Convert.FromBase64String(ConformanceContent.RedPixelPng), "image/png")),
        User(new TextContentBlock { Text = "Please analyze the image above." }),
    ];

    private static PromptMessage User(ContentBlock content) => new() { Role = Role.User, Content = content };
}
