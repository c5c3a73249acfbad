namespace VibeEnsemble.Tests.Support;

/// <summary>An agent as the server's JSON APIs return it; read independently of the server's own types.</summary>
internal sealed record AgentDto(
    Guid Id,
    string Name,
    string[] Capabilities,
    string[] Specializations,
    string Status,
    string? Transport,
    string? ClientName,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastSeenAt);
