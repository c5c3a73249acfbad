using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Knowledge;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>
/// Searches that match more entries than are ranked (<see cref="KnowledgeSearch.RankedAtMost"/>): the newest that
/// many are ranked, and a last word that is common taken whole is not also searched as a prefix.
/// </summary>
public sealed class KnowledgeSearchWindowTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CoordinationEventBus _events = new();
    private TestStore _store = null!;
    private KnowledgeService _knowledge = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.OpenAsync(_data.File("knowledge.db"), _time, _events, TestContext.Current.CancellationToken);
        var storage = Options.Create(new StorageOptions { DatabasePath = _store.DatabasePath });
        var factory = TestDatabase.Factory(_store.DatabasePath);
        _knowledge = new KnowledgeService(_store.Writer, factory, storage, new ProjectService(_store.Writer, factory, _time), _events, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Search_CommonWholeWord_RanksTheNewestMatchesOfThatWordOnly()
    {
        // Arrange: 1,100 entries with the whole word, then (newest) one with a longer word it begins, and a few with a
        // rare word and one with a longer word that one begins.
        var cancellationToken = TestContext.Current.CancellationToken;
        var entries = Enumerable.Range(0, 1_100).Select(i => ($"Entry {i}", $"The alpha method, step {i}.")).ToList();
        entries.AddRange([("Rare 1", "A note on beta."), ("Rare 2", "Another beta note."), ("Tape", "A betamax cassette.")]);
        entries.Add(("Soup", "Letters from the alphabet."));
        Insert(entries);

        // Act: the deepest page of the ranked window, and a search for the rare word.
        var deepest = await _knowledge.SearchAsync(new SearchKnowledgeRequest("alpha", Limit: 100, Offset: KnowledgeSearch.RankedAtMost - 100), cancellationToken);
        var beyond = await _knowledge.SearchAsync(new SearchKnowledgeRequest("alpha", Limit: 100, Offset: KnowledgeSearch.RankedAtMost), cancellationToken);
        var rare = await _knowledge.SearchAsync(new SearchKnowledgeRequest("beta"), cancellationToken);

        // Assert: the window is the 1,000 newest entries holding "alpha", with no room for "alphabet"; the rare word
        // still finds the longer word it begins.
        Assert.Equal(100, deepest.Count);
        Assert.All(deepest, hit => Assert.StartsWith("Entry ", hit.Title, StringComparison.Ordinal));
        Assert.Empty(beyond);
        Assert.Equal(["Rare 1", "Rare 2", "Tape"], rare.Select(h => h.Title).Order());
    }

    /// <summary>Rows written straight into the table in one transaction; the migration's triggers index them.</summary>
    private void Insert(IEnumerable<(string Title, string Body)> entries)
    {
        using var connection = new SqliteConnection(SqliteConnections.ConnectionString(_store.DatabasePath));
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Knowledge (Id, Title, Body, Tags, Category, Author, Version, UsefulVotes, NotUsefulVotes, CreatedAt, UpdatedAt)
            VALUES ($id, $title, $body, '[]', 'Practice', 'test', 1, 0, 0, $at, $at)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var ticks = _time.GetUtcNow().UtcTicks;
        foreach (var (entryTitle, entryBody) in entries)
        {
            id.Value = Guid.CreateVersion7().ToString("D").ToUpperInvariant();
            title.Value = entryTitle;
            body.Value = entryBody;
            at.Value = ticks++;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
