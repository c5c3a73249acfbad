namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>How permission requests are handled (configuration section <c>VibeEnsemble:Permissions</c>).</summary>
public sealed class PermissionOptions
{
    public const string SectionName = "VibeEnsemble:Permissions";

    /// <summary>How long a request waits for a person or the coordinator before it is denied.</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long decided requests are kept as the audit trail.</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(30);
}
