namespace VibeEnsemble.Domain.Common;

internal static class Guard
{
    public static string Required(string? value, string name, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException($"'{name}' is required.");
        }

        if (trimmed.Length > maxLength)
        {
            throw new DomainException($"'{name}' must be at most {maxLength} characters.");
        }

        return trimmed;
    }

    public static string? Optional(string? value, string name, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length > maxLength
            ? throw new DomainException($"'{name}' must be at most {maxLength} characters.")
            : trimmed;
    }

    /// <summary>Trims, drops blanks and duplicates (case-insensitively) and keeps the caller's order.</summary>
    public static string[] Labels(IEnumerable<string>? values, string name, int maxCount = 64, int maxLength = 100)
    {
        if (values is null)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var value in values)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed) || result.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (trimmed.Length > maxLength)
            {
                throw new DomainException($"Each entry of '{name}' must be at most {maxLength} characters.");
            }

            result.Add(trimmed);
        }

        return result.Count > maxCount
            ? throw new DomainException($"'{name}' may hold at most {maxCount} entries.")
            : [.. result];
    }
}
