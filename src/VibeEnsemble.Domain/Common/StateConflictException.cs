namespace VibeEnsemble.Domain.Common;

/// <summary>The change was valid once, but the entity has since moved on (a request already decided): HTTP 409.</summary>
public sealed class StateConflictException(string message) : DomainException(message);
