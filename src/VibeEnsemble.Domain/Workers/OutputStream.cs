using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Workers;

[JsonConverter(typeof(JsonStringEnumConverter<OutputStream>))]
public enum OutputStream
{
    StandardOutput = 0,
    StandardError = 1,
}
