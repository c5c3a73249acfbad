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

    /// <summary>
    /// Trims, drops blanks and duplicates (case-insensitively) and keeps the caller's order. Linear in the input and
    /// stops at the first entry past the limit, so a hostile list of millions costs no more than a long one.
    /// </summary>
    public static string[] Labels(IEnumerable<string>? values, string name, int maxCount = 64, int maxLength = 100)
    {
        if (values is null)
        {
            return [];
        }

        // Room for blanks and repeats, but no list far beyond the limit is walked at all.
        if (values.TryGetNonEnumeratedCount(out var count) && count > maxCount * 4)
        {
            throw new DomainException($"'{name}' lists {count} entries; it may hold at most {maxCount}.");
        }

        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed))
            {
                continue;
            }

            if (trimmed.Length > maxLength)
            {
                throw new DomainException($"Each entry of '{name}' must be at most {maxLength} characters.");
            }

            if (seen.Add(trimmed))
            {
                result.Add(trimmed);
                if (result.Count > maxCount)
                {
                    throw new DomainException($"'{name}' may hold at most {maxCount} entries.");
                }
            }
        }

        return [.. result];
    }
}
