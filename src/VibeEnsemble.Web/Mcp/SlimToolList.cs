using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// The tool list as a spawned worker's model sees it: name, description and input schema, nothing a model does not
/// read (display titles, annotations, <c>"default": null</c> on optional parameters). A worker pays for its tool list
/// on every turn, and its own tools are always allowed, so the hints that annotations give a client's permission
/// prompt are of no use to it.
/// </summary>
internal static class SlimToolList
{
    public static Tool Slim(Tool tool) => new()
    {
        Name = tool.Name,
        Description = tool.Description,
        InputSchema = WithoutNullDefaults(tool.InputSchema),
    };

    private static JsonElement WithoutNullDefaults(JsonElement schema)
    {
        if (JsonNode.Parse(schema.GetRawText()) is not JsonObject root || root["properties"] is not JsonObject properties)
        {
            return schema;
        }

        foreach (var (_, property) in properties)
        {
            if (property is JsonObject parameter && parameter.TryGetPropertyValue("default", out var value) && value is null)
            {
                parameter.Remove("default");
            }
        }

        return JsonSerializer.SerializeToElement(root);
    }
}
