using System.Text.Json;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's own input schema before it is bound, so that a model is told
/// which argument is wrong and how ("'capabilities' must be an array of strings; got a string") instead of the SDK's
/// "An error occurred invoking ...". Claude Code sends arguments unchecked. Linear in the size of the arguments.
/// </summary>
internal static class ToolArguments
{
    public static string? Problem(JsonElement schema, IDictionary<string, JsonElement>? arguments)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!))
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    return $"'{name}' is required{Described(properties, name)}.";
                }
            }
        }

        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (properties.TryGetProperty(name, out var property) && Mismatch(property, value) is { } expected)
            {
                return $"'{name}' must be {expected}; got {Describe(value)}.";
            }
        }

        return null;
    }

    /// <summary>What was expected, when <paramref name="value"/> does not fit <paramref name="property"/>; null when it fits.</summary>
    private static string? Mismatch(JsonElement property, JsonElement value)
    {
        if (property.ValueKind != JsonValueKind.Object || !property.TryGetProperty("type", out var type) || TypesOf(type).Length == 0)
        {
            return null;
        }

        var types = TypesOf(type);
        if (types.Any(t => Fits(t, value) && (t != "array" || ItemsFit(property, value))))
        {
            return null;
        }

        var named = types.Where(t => t != "null").Select(t => t switch
        {
            "array" => ItemTypes(property).Contains("string") ? "an array of strings, e.g. [\"csharp\"]" : "an array",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "object" => "an object",
            _ => "a string",
        });
        return string.Join(" or ", named);
    }

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static bool ItemsFit(JsonElement property, JsonElement array)
    {
        var allowed = ItemTypes(property);
        // A null item is never useful to us, even where the generated schema allows one.
        return allowed.Length == 0 || array.EnumerateArray().All(item => item.ValueKind != JsonValueKind.Null && allowed.Any(t => Fits(t, item)));
    }

    private static string[] ItemTypes(JsonElement property) =>
        property.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object && items.TryGetProperty("type", out var type)
            ? TypesOf(type)
            : [];

    /// <summary>A schema's "type": one name or a list of names.</summary>
    private static string[] TypesOf(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.Array => [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
        JsonValueKind.String => [type.GetString()!],
        _ => [],
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array with an item of another type",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Described(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var property) && property.TryGetProperty("description", out var description)
            && description.GetString() is { Length: > 0 } text
            ? $": {text.TrimEnd('.')}"
            : "";
}
