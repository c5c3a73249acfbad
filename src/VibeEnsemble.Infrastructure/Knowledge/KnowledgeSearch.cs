using System.Text;
using Microsoft.Data.Sqlite;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Knowledge;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Infrastructure.Knowledge;

/// <summary>
/// Full-text search over the FTS5 index in plain SQL. A query is read as words only: every run of letters and
/// digits becomes a quoted term, so FTS5's own syntax (quotes, <c>*</c>, <c>NEAR</c>, <c>-</c>, <c>:</c>) in what a
/// caller types is just text. Each word matches by its Porter stem ("parsing" finds "parse" and "parses"), and the
/// last word also as the beginning of a word ("pars" finds "parser") unless the words taken whole already match more
/// than <see cref="RankedAtMost"/> entries; every word must match. Ranking is bm25 with the title weighted 10, tags 4
/// and the body 1; a search matching more than <see cref="RankedAtMost"/> entries (with no filter) ranks the newest
/// that many of them. bm25 still counts every match of each word over the whole index to weigh it (ADR-011), so a
/// search for words found in most entries costs milliseconds at 100,000 entries.
/// </summary>
internal static class KnowledgeSearch
{
    public const int MaxTerms = 32;
    public const int MaxLimit = 100;
    public const int MaxOffset = 10_000;

    /// <summary>Most matches a search ranks; beyond it, the newest this many (see <see cref="RunAsync"/>).</summary>
    public const int RankedAtMost = 1_000;

    // Marks around matched words in snippets, swapped for ** afterwards (see Marked).
    private const char Open = '\u0001';
    private const char Close = '\u0002';

    /// <summary>A caller's words as FTS5 expressions: as typed (the last word also as a prefix) and as whole words.</summary>
    public sealed record Query(string Match, string WholeWords);

    /// <summary>The FTS5 expressions for a caller's words, or null when they hold none; linear in the text.</summary>
    public static Query? Expression(string? text, bool any = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > KnowledgeInputs.MaxQueryLength)
        {
            throw new DomainException($"'query' must be at most {KnowledgeInputs.MaxQueryLength} characters.");
        }

        var terms = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length && terms.Count < MaxTerms; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                terms.Add($"\"{text[start..i]}\"");
                start = -1;
            }
        }

        if (terms.Count == 0)
        {
            return null;
        }

        // The last word may be one still being typed: it also matches as the start of a word. Only the last, since a
        // short prefix can stand for thousands of words and each costs a posting list.
        var separator = any ? " OR " : " AND ";
        var wholeWords = string.Join(separator, terms);
        var last = terms[^1];
        terms[^1] = $"({last} OR {last}*)";
        return new Query(string.Join(separator, terms), wholeWords);
    }

    public static async Task<List<KnowledgeHit>> RunAsync(
        SqliteConnection connection, Query? query, Filters filters, int limit, int offset, CancellationToken cancellationToken)
    {
        var match = query?.Match;
        var sql = new StringBuilder(match is null
            ? """
              SELECT k.Id, k.Title, k.Category, k.Tags, k.Author, substr(k.Body, 1, 160), k.UsefulVotes, k.UpdatedAt
              FROM Knowledge k WHERE 1 = 1
              """
            : """
              SELECT k.Id, k.Title, k.Category, k.Tags, k.Author, snippet(KnowledgeSearch, -1, char(1), char(2), '…', 16),
                  k.UsefulVotes, k.UpdatedAt
              FROM KnowledgeSearch JOIN Knowledge k ON k.SearchId = KnowledgeSearch.rowid
              WHERE KnowledgeSearch MATCH $match
              """);
        await using var command = connection.CreateCommand();
        if (query is not null)
        {
            // bm25 scores every match before sorting: a word in most entries would cost tens of milliseconds at
            // 100,000 entries. Past RankedAtMost matches, only the newest that many are ranked (found in rowid order,
            // which FTS5 walks without scoring); a filtered search is narrow enough to rank in full. When the words
            // taken whole already match that many, the last one was typed in full and is a common word: it is searched
            // as that word alone, since bm25 counts every entry holding each phrase to weigh it, and its prefix phrase
            // ("w"*, every word starting with it) can hold ten times as many.
            if (filters.IsEmpty)
            {
                var cutoff = await CutoffAsync(connection, query.WholeWords, cancellationToken);
                if (cutoff is not null)
                {
                    match = query.WholeWords;
                }
                else
                {
                    cutoff = await CutoffAsync(connection, query.Match, cancellationToken);
                }

                if (cutoff is not null)
                {
                    sql.Append(" AND KnowledgeSearch.rowid >= $cutoff");
                    command.Parameters.AddWithValue("$cutoff", cutoff.Value);
                }
            }

            command.Parameters.AddWithValue("$match", match);
        }

        filters.Apply(sql, command);
        sql.Append(match is null ? " ORDER BY k.UpdatedAt DESC" : " ORDER BY bm25(KnowledgeSearch, 10.0, 1.0, 4.0), k.UsefulVotes DESC");
        sql.Append(" LIMIT $limit OFFSET $offset");
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        command.CommandText = sql.ToString();
        var hits = new List<KnowledgeHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new KnowledgeHit(Guid.Parse(reader.GetString(0)), reader.GetString(1), Enum.Parse<KnowledgeCategory>(reader.GetString(2)),
                System.Text.Json.JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [], reader.GetString(4),
                Marked(reader.GetString(5)),
                reader.GetInt32(6), new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero)));
        }

        return hits;
    }

    /// <summary>The row id of the <see cref="RankedAtMost"/>-th newest match, or null when there are fewer matches.</summary>
    private static async Task<long?> CutoffAsync(SqliteConnection connection, string match, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid FROM KnowledgeSearch WHERE KnowledgeSearch MATCH $match ORDER BY rowid DESC LIMIT 1 OFFSET $skip";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$skip", RankedAtMost - 1);
        return await command.ExecuteScalarAsync(cancellationToken) is long rowid ? rowid : null;
    }

    /// <summary>
    /// The snippet with the matched words between <c>**</c>: the author's own <c>**</c> (markdown emphasis) is dropped
    /// first, so every pair of marks is a match.
    /// </summary>
    private static string Marked(string snippet) => snippet.Replace("**", "", StringComparison.Ordinal)
        .Replace(Open.ToString(), "**", StringComparison.Ordinal).Replace(Close.ToString(), "**", StringComparison.Ordinal);

    /// <summary>Narrowing a search to a tag, category, project or author; each compares exactly (tags ignoring case).</summary>
    public sealed record Filters(string? Tag, KnowledgeCategory? Category, Guid? ProjectId, string? Author)
    {
        public bool IsEmpty => string.IsNullOrWhiteSpace(Tag) && Category is null && ProjectId is null && string.IsNullOrWhiteSpace(Author);

        public void Apply(StringBuilder sql, SqliteCommand command)
        {
            if (!string.IsNullOrWhiteSpace(Tag))
            {
                sql.Append(" AND EXISTS (SELECT 1 FROM json_each(k.Tags) WHERE value = $tag COLLATE NOCASE)");
                command.Parameters.AddWithValue("$tag", Tag.Trim());
            }

            if (Category is { } category)
            {
                sql.Append(" AND k.Category = $category");
                command.Parameters.AddWithValue("$category", category.ToString());
            }

            if (ProjectId is { } project)
            {
                sql.Append(" AND k.ProjectId = $project");
                command.Parameters.AddWithValue("$project", AgentRow.StoredId(project));
            }

            if (!string.IsNullOrWhiteSpace(Author))
            {
                sql.Append(" AND k.Author = $author COLLATE NOCASE");
                command.Parameters.AddWithValue("$author", Author.Trim());
            }
        }
    }
}
