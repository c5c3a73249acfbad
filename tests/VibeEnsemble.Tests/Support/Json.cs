using System.Text.Json;
using System.Text.Json.Serialization;

namespace VibeEnsemble.Tests.Support;

internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
