using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Permissions;

[JsonConverter(typeof(JsonStringEnumConverter<PermissionState>))]
public enum PermissionState
{
    Pending = 0,
    Approved = 1,
    Denied = 2,
    Expired = 3,
}
