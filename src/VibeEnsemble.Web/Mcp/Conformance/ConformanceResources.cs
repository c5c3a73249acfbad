using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace VibeEnsemble.Web.Mcp.Conformance;

/// <summary>Fixture resources of the MCP conformance suite.</summary>
[McpServerResourceType]
internal sealed class ConformanceResources
{
    [McpServerResource(UriTemplate = "test://static-text", Name = "Static text", MimeType = "text/plain")]
    [Description("A static text resource for testing.")]
    public static TextResourceContents StaticText() => new()
    {
        Uri = "test://static-text",
        MimeType = "text/plain",
        Text = "This is the content of the static text resource.",
    };

    [McpServerResource(UriTemplate = "test://static-binary", Name = "Static binary", MimeType = "image/png")]
    [Description("A static binary resource (a 1x1 PNG) for testing.")]
    public static BlobResourceContents StaticBinary() =>
        BlobResourceContents.FromBytes(Convert.FromBase64String(ConformanceContent.RedPixelPng), "test://static-binary", "image/png");

    [McpServerResource(UriTemplate = "test://watched-resource", Name = "Watched resource", MimeType = "text/plain")]
    [Description("A resource clients can subscribe to.")]
    public static TextResourceContents Watched() => new()
    {
        Uri = "test://watched-resource",
        MimeType = "text/plain",
        Text = "Watched resource content.",
    };

    [McpServerResource(UriTemplate = "test://template/{id}/data", Name = "Template data", MimeType = "application/json")]
    [Description("A resource template that echoes its id.")]
    public static TextResourceContents TemplateData(string id) => new()
    {
        Uri = $"test://template/{id}/data",
        MimeType = "application/json",
        Text = JsonSerializer.Serialize(new TemplatePayload(id, true, $"Data for ID: {id}")),
    };

    private sealed record TemplatePayload(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("templateTest")] bool TemplateTest,
        [property: JsonPropertyName("data")] string Data);
}
