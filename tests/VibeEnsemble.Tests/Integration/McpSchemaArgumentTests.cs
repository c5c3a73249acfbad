using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Every tool, generated from the schemas the server publishes (not a hand-written list): a missing required
/// argument and an argument of the wrong type each come back as a tool error naming the argument.
/// </summary>
public sealed class McpSchemaArgumentTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task EveryTool_MissingOrMistypedArgument_IsAToolErrorNamingIt()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = "schema-probe" }),
            cancellationToken: cancellationToken);
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        var failures = new List<string>();

        // Act
        foreach (var tool in tools)
        {
            var schema = tool.ProtocolTool.InputSchema;
            var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToList() : [];
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
            if (required.Count > 0)
            {
                await ExpectErrorAsync(client, tool.Name, [], $"'{required[0]}' is required", failures, cancellationToken);
            }

            // Objects (and untyped values, such as a permission prompt's tool input) take an object: nothing to mistype.
            foreach (var property in properties.Where(q => !TakesObjects(q.Value)))
            {
                // A value of a type the property does not take: an object for everything but objects.
                var arguments = required.ToDictionary(name => name, name => (object?)ValidFor(properties.First(q => q.Name == name).Value));
                arguments[property.Name] = new Dictionary<string, object?> { ["unexpected"] = true };
                await ExpectErrorAsync(client, tool.Name, arguments, $"'{property.Name}' must be", failures, cancellationToken);
            }
        }

        // Assert
        Assert.True(tools.Count >= 20, $"only {tools.Count} tools listed");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task ExpectErrorAsync(
        McpClient client, string tool, Dictionary<string, object?> arguments, string expected, List<string> failures, CancellationToken cancellationToken)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        if (result.IsError is not true || !text.Contains(expected, StringComparison.Ordinal))
        {
            failures.Add($"{tool} {JsonSerializer.Serialize(arguments)}: expected an error containing \"{expected}\", got {(result.IsError is true ? "error" : "success")} \"{text[..Math.Min(text.Length, 200)]}\"");
        }
    }

    private static bool TakesObjects(JsonElement property) =>
        !property.TryGetProperty("type", out var type)
        || type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "object")
        || type.ValueKind == JsonValueKind.String && type.GetString() == "object";

    /// <summary>A value of the property's own type, so that only the argument under test is wrong.</summary>
    private static object? ValidFor(JsonElement property)
    {
        var type = property.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().First(x => x.GetString() != "null").GetString() : t.GetString()
            : "string";
        return type switch
        {
            "integer" or "number" => 1,
            "boolean" => true,
            "array" => Array.Empty<string>(),
            "object" => new Dictionary<string, object?>(),
            _ => "x",
        };
    }
}
