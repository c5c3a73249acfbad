using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Permissions;

/// <summary>What a rule does with a tool call it matches.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PermissionAction>))]
public enum PermissionAction
{
    Allow = 0,
    Deny = 1,

    /// <summary>Wait for a person or the coordinator to decide.</summary>
    Ask = 2,
}

/// <summary>
/// Where a rule applies. Rules are evaluated most specific first (profile, then project, then server), each scope in
/// its own order; the first rule that matches decides.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PermissionScope>))]
public enum PermissionScope
{
    Server = 0,
    Project = 1,
    Profile = 2,
}
