using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// The tool list as a role-bound session's model sees it; each session pays for its list on every turn. A spawned
/// worker (<see cref="Slim"/>): name, description and input schema only, no display titles, annotations or
/// <c>"default": null</c> on optional parameters (its own tools are always allowed, so the hints annotations give a
/// client's permission prompt are of no use to it). A coordinator or agent (<see cref="Trim"/>): the hints too.
/// </summary>
internal static class SlimToolList
{
    // The registered tools never change after start, so each role's list is shaped once; a result holding other tool
    // objects than the ones cached (a tool added at run time) is shaped afresh.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<McpRole, (Tool[] From, Tool[] Shaped)> s_byRole = new();

    /// <summary><paramref name="tools"/> as <paramref name="role"/> is offered them, shaped once per role.</summary>
    public static IList<Tool> For(McpRole role, IList<Tool> tools)
    {
        // A copy of the list (not of the tools) each time: whoever handles the result next may add to it.
        if (s_byRole.TryGetValue(role, out var cached) && cached.From.SequenceEqual(tools, ReferenceEqualityComparer.Instance))
        {
            return [.. cached.Shaped];
        }

        var shaped = tools.Where(t => role.Offers(t.Name)).Select(t => role == McpRole.Worker ? Slim(t) : Trim(t)).ToArray();
        s_byRole[role] = ([.. tools], shaped);
        return [.. shaped];
    }

    public static Tool Slim(Tool tool) => new()
    {
        Name = tool.Name,
        Description = tool.Description,
        InputSchema = WithoutNullDefaults(tool.InputSchema),
    };

    /// <summary>
    /// For a role-bound session (coordinator, agent): the hints a client's permission prompt uses are kept, the display
    /// titles (written twice, at the top and in the annotations) and null defaults go.
    /// </summary>
    public static Tool Trim(Tool tool) => new()
    {
        Name = tool.Name,
        Description = tool.Description,
        InputSchema = WithoutNullDefaults(tool.InputSchema),
        Annotations = tool.Annotations is { } hints
            ? new ToolAnnotations { ReadOnlyHint = hints.ReadOnlyHint, DestructiveHint = hints.DestructiveHint, IdempotentHint = hints.IdempotentHint, OpenWorldHint = hints.OpenWorldHint }
            : null,
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
