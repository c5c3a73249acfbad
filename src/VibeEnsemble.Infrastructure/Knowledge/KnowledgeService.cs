using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Knowledge;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Projects;

namespace VibeEnsemble.Infrastructure.Knowledge;

/// <summary>
/// The shared knowledge base: entries written, edited (earlier text kept as versions), related, voted on and searched
/// with full-text ranking. MCP tools, <c>vibe/knowledge/*</c>, the HTTP API and the dashboard share it; task
/// suggestions and worker prompts read it through <see cref="SuggestAsync"/>.
/// </summary>
public sealed class KnowledgeService(
    IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, IOptions<StorageOptions> storage, ProjectService projects,
    CoordinationEventBus events, TimeProvider time)
{
    // Counting facets walks every entry's tags; counted again after a change here, or after half a minute (another
    // process on the same file may have written).
    private volatile CachedFacets? _facets;

    public async Task<KnowledgeSnapshot> AddAsync(AddKnowledgeRequest request, AgentSnapshot? author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var category = KnowledgeInputs.ParseCategory(request.Category) ?? KnowledgeCategory.Reference;
        var project = string.IsNullOrWhiteSpace(request.Project) ? null : await projects.ResolveAsync(request.Project, cancellationToken);
        var entry = KnowledgeEntry.Create(request.Title ?? "", request.Body ?? "", request.Tags, category, author?.Id,
            author?.Name ?? Message.Human, project?.Id, time.GetUtcNow());
        return await WriteAsync(db =>
        {
            db.Knowledge.Add(entry);
            return entry;
        }, cancellationToken);
    }

    public Task<KnowledgeSnapshot> UpdateAsync(UpdateKnowledgeRequest request, AgentSnapshot? editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = KnowledgeInputs.ParseId(request.EntryId);
        var category = KnowledgeInputs.ParseCategory(request.Category);
        return ChangeAsync(id, entry => entry.Edit(request.Title, request.Body, request.Tags, category, editor?.Name ?? Message.Human, time.GetUtcNow()),
            cancellationToken);
    }

    public Task<KnowledgeSnapshot> RelateAsync(Guid fromId, Guid toId, KnowledgeRelationKind kind, CancellationToken cancellationToken) =>
        ChangeAsync(fromId, (entry, db) =>
        {
            if (!db.Knowledge.Any(k => k.Id == toId))
            {
                throw new EntityNotFoundException("Knowledge entry", toId.ToString());
            }

            entry.RelateTo(toId, kind, time.GetUtcNow());
        }, cancellationToken);

    public Task<KnowledgeSnapshot> VoteAsync(Guid entryId, bool useful, AgentSnapshot? voter, CancellationToken cancellationToken) =>
        ChangeAsync(entryId, entry => entry.Vote(voter?.Name ?? Message.Human, useful, time.GetUtcNow()), cancellationToken);

    public async Task<KnowledgeDetails> GetAsync(Guid entryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entry = await db.Knowledge.AsNoTracking().Include(k => k.Relations).Include(k => k.Versions).AsSplitQuery()
            .SingleOrDefaultAsync(k => k.Id == entryId, cancellationToken)
            ?? throw new EntityNotFoundException("Knowledge entry", entryId.ToString());
        var incoming = await db.Set<KnowledgeRelation>().AsNoTracking().Where(r => r.ToEntryId == entryId).Take(KnowledgeEntry.MaxRelations * 2)
            .ToListAsync(cancellationToken);
        var otherIds = entry.Relations.Select(r => r.ToEntryId).Concat(incoming.Select(r => r.FromEntryId)).Distinct().ToList();
        var titles = await db.Knowledge.AsNoTracking().Where(k => otherIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Title, cancellationToken);
        var links = entry.Relations.Select(r => new KnowledgeLink(r.Kind, "to", r.ToEntryId, titles.GetValueOrDefault(r.ToEntryId, "")))
            .Concat(incoming.Select(r => new KnowledgeLink(r.Kind, "from", r.FromEntryId, titles.GetValueOrDefault(r.FromEntryId, ""))))
            .ToList();
        var versions = entry.Versions.OrderByDescending(v => v.Number)
            .Select(v => new KnowledgeVersionSnapshot(v.Number, v.Title, v.Body, v.Category, v.Tags, v.EditedBy, v.EditedAt)).ToList();
        return new KnowledgeDetails(KnowledgeSnapshot.From(entry), links, versions);
    }

    /// <summary>
    /// Entries matching the words of <see cref="SearchKnowledgeRequest.Query"/> best first, or the most recently
    /// changed without one; filters narrow either.
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(SearchKnowledgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit ?? 10;
        if (limit is < 1 or > KnowledgeSearch.MaxLimit)
        {
            throw new DomainException($"'limit' must be between 1 and {KnowledgeSearch.MaxLimit}.");
        }

        var offset = request.Offset ?? 0;
        if (offset is < 0 or > KnowledgeSearch.MaxOffset)
        {
            throw new DomainException($"'offset' must be between 0 and {KnowledgeSearch.MaxOffset}.");
        }

        var match = KnowledgeSearch.Expression(request.Query);
        if (match is null && !string.IsNullOrWhiteSpace(request.Query))
        {
            throw new DomainException("'query' holds no words to search for (letters or digits).");
        }

        var project = string.IsNullOrWhiteSpace(request.Project) ? null : await projects.ResolveAsync(request.Project, cancellationToken);
        var filters = new KnowledgeSearch.Filters(request.Tag, KnowledgeInputs.ParseCategory(request.Category), project?.Id, request.Author);
        await using var connection = await OpenAsync(cancellationToken);
        return await KnowledgeSearch.RunAsync(connection, match, filters, limit, offset, cancellationToken);
    }

    /// <summary>
    /// The entries most relevant to a piece of work (any of its keywords matching, best first), in its project or in
    /// none; empty when the knowledge base has nothing that matches.
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeHit>> SuggestAsync(string title, string? description, Guid? projectId, int limit, CancellationToken cancellationToken)
    {
        var keywords = KnowledgeTags.Extract(title, description ?? "").Concat(KnowledgeTags.Words(title)).Distinct().Take(12);
        var match = KnowledgeSearch.Expression(string.Join(' ', keywords), any: true);
        if (match is null)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var hits = await KnowledgeSearch.RunAsync(connection, match, new KnowledgeSearch.Filters(null, null, null, null), limit * 3, 0, cancellationToken);
        if (projectId is null)
        {
            return [.. hits.Take(limit)];
        }

        // Entries of another project are not this task's business; those of no project are everyone's.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = hits.Select(h => h.Id).ToList();
        var foreign = await db.Knowledge.AsNoTracking().Where(k => ids.Contains(k.Id) && k.ProjectId != null && k.ProjectId != projectId)
            .Select(k => k.Id).ToListAsync(cancellationToken);
        return [.. hits.Where(h => !foreign.Contains(h.Id)).Take(limit)];
    }

    /// <summary>Entries per category and the 30 most used tags; recounted only after a change.</summary>
    public async Task<KnowledgeFacets> FacetsAsync(CancellationToken cancellationToken)
    {
        if (_facets is { } cached && time.GetElapsedTime(cached.At) < TimeSpan.FromSeconds(30))
        {
            return cached.Facets;
        }

        await using var connection = await OpenAsync(cancellationToken);
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Category, COUNT(*) FROM Knowledge GROUP BY Category";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                categories[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        var tags = new List<KeyValuePair<string, int>>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT lower(value), COUNT(*) FROM Knowledge, json_each(Knowledge.Tags) GROUP BY lower(value) ORDER BY 2 DESC, 1 LIMIT 30";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tags.Add(new(reader.GetString(0), reader.GetInt32(1)));
            }
        }

        var facets = new KnowledgeFacets(categories, tags, categories.Values.Sum());
        _facets = new CachedFacets(facets, time.GetTimestamp());
        return facets;
    }

    private sealed record CachedFacets(KnowledgeFacets Facets, long At);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(SqliteConnections.ConnectionString(storage.Value.DatabasePath));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private Task<KnowledgeSnapshot> ChangeAsync(Guid entryId, Action<KnowledgeEntry> change, CancellationToken cancellationToken) =>
        ChangeAsync(entryId, (entry, _) => change(entry), cancellationToken);

    private Task<KnowledgeSnapshot> ChangeAsync(Guid entryId, Action<KnowledgeEntry, VibeEnsembleDbContext> change, CancellationToken cancellationToken) =>
        WriteAsync(db =>
        {
            var entry = db.Knowledge.Include(k => k.Relations).Include(k => k.Votes).AsSplitQuery().SingleOrDefault(k => k.Id == entryId)
                ?? throw new EntityNotFoundException("Knowledge entry", entryId.ToString());
            change(entry, db);
            return entry;
        }, cancellationToken);

    private async Task<KnowledgeSnapshot> WriteAsync(Func<VibeEnsembleDbContext, KnowledgeEntry> change, CancellationToken cancellationToken)
    {
        var written = await writer.ExecuteAsync(new KnowledgeCommand(change, events, time), cancellationToken);
        _facets = null;
        return written;
    }
}

/// <summary>Runs a knowledge change on the writer and announces it once durable.</summary>
internal sealed class KnowledgeCommand(Func<VibeEnsembleDbContext, KnowledgeEntry> change, CoordinationEventBus events, TimeProvider time)
    : IWriteCommand<KnowledgeSnapshot>
{
    private KnowledgeSnapshot? _changed;

    public KnowledgeSnapshot Execute(WriteContext context)
    {
        _changed = null;
        var entry = change(context.Db);
        context.Db.SaveChanges();
        return _changed = KnowledgeSnapshot.From(entry);
    }

    public void OnCommitted()
    {
        if (_changed is { } entry)
        {
            events.Publish(new KnowledgeChanged(entry, time.GetUtcNow()));
        }
    }
}
