namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>An agent introducing itself. Registering a known name again restores that agent; its
/// groups are kept unless <see cref="Groups"/> is given.</summary>
public sealed record RegisterAgentCommand(
    string Name,
    IReadOnlyList<string>? Capabilities = null,
    IReadOnlyList<string>? Specializations = null,
    IReadOnlyList<string>? Groups = null);
