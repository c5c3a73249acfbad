namespace VibeEnsemble.Domain.Common;

/// <summary>
/// Raised when an operation would break a domain invariant, usually because of bad input.
/// Its message is written for the caller (a person or a model) and carries no secrets.
/// </summary>
public class DomainException(string message) : Exception(message);
