namespace VibeEnsemble.Domain.Knowledge;

/// <summary>
/// Tags drawn from an entry's text when its author gave none. Deterministic, one pass over the text: words are runs
/// of letters and digits that may carry <c>#</c>, <c>+</c>, <c>.</c>, <c>-</c> or <c>_</c> inside (<c>c#</c>,
/// <c>asp.net</c>, <c>node.js</c>), lower-cased; numbers, common English words and words shorter than three
/// characters (unless they carry <c>#</c> or <c>+</c>) are dropped. Each word scores 3 per appearance in the title and
/// 1 per appearance in the body; the five best scoring at least 2 become the tags, ties going to the word seen first.
/// </summary>
public static class KnowledgeTags
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    private const int Extracted = 5;

    private static readonly HashSet<string> s_stopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one", "our", "out", "has",
        "have", "had", "his", "how", "its", "may", "new", "now", "old", "see", "two", "way", "who", "did", "get", "got",
        "let", "put", "say", "she", "too", "use", "used", "uses", "using", "with", "this", "that", "from", "they", "will",
        "would", "there", "their", "what", "about", "which", "when", "make", "like", "time", "just", "know", "take",
        "into", "your", "some", "could", "them", "than", "then", "look", "only", "come", "over", "think", "also", "back",
        "after", "work", "first", "well", "even", "want", "because", "these", "give", "most", "should", "must", "does",
        "done", "each", "every", "where", "while", "why", "were", "been", "being", "before", "other", "same", "such",
        "very", "more", "less", "here", "once", "again", "always", "never", "without", "within", "between", "through",
        "needs", "need", "note", "example", "e.g", "i.e", "etc", "via", "per", "yes", "else", "both", "either", "http",
        "https", "www", "com",
    };

    public static IReadOnlyList<string> Extract(string title, string body)
    {
        var scores = new Dictionary<string, (int Score, int First)>(StringComparer.Ordinal);
        var order = 0;
        Count(title, 3, scores, ref order);
        Count(body, 1, scores, ref order);
        return [.. scores.Where(s => s.Value.Score >= 2)
            .OrderByDescending(s => s.Value.Score).ThenBy(s => s.Value.First)
            .Take(Extracted).Select(s => s.Key)];
    }

    /// <summary>The words of <paramref name="text"/> that could be tags, in order of first appearance.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var scores = new Dictionary<string, (int Score, int First)>(StringComparer.Ordinal);
        var order = 0;
        Count(text, 1, scores, ref order);
        return [.. scores.OrderBy(s => s.Value.First).Select(s => s.Key)];
    }

    private static void Count(string text, int weight, Dictionary<string, (int Score, int First)> scores, ref int order)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var inWord = char.IsLetterOrDigit(c) || (start >= 0 && c is '#' or '+' or '.' or '-' or '_');
            if (inWord)
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                Add(text.AsSpan(start, i - start), weight, scores, ref order);
                start = -1;
            }
        }
    }

    private static void Add(ReadOnlySpan<char> raw, int weight, Dictionary<string, (int Score, int First)> scores, ref int order)
    {
        var word = raw.TrimEnd(".-_");
        if (word.Length > MaxTagLength || (word.Length < 3 && word.IndexOfAny('#', '+') < 0) || IsNumber(word))
        {
            return;
        }

        var key = word.ToString().ToLowerInvariant();
        if (s_stopWords.Contains(key))
        {
            return;
        }

        scores[key] = scores.TryGetValue(key, out var known) ? (known.Score + weight, known.First) : (weight, order++);
    }

    private static bool IsNumber(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!char.IsDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }
}
