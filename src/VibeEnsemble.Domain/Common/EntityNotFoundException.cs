namespace VibeEnsemble.Domain.Common;

/// <summary>Raised when a caller names an entity that does not exist.</summary>
public sealed class EntityNotFoundException(string entity, string key)
    : DomainException($"{entity} '{key}' was not found.")
{
    public string Entity { get; } = entity;

    public string Key { get; } = key;
}
