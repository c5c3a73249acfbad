using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The knowledge base through MCP on a running server: ranking, stems and prefixes, hostile queries, suggestions.</summary>
public sealed class KnowledgeTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Search_TitleMatch_RanksAboveBodyMatchWithHighlightedSnippet()
    {
        // Arrange: the same rare word in one title and in another body.
        var cancellationToken = TestContext.Current.CancellationToken;
        var word = Word();
        await using var agent = await AgentAsync(cancellationToken);
        var inBody = await AddAsync(agent, "Caching notes", $"Remember that {word} invalidates the cache on every write.", cancellationToken);
        var inTitle = await AddAsync(agent, $"How {word} works", "A short explanation of the mechanism.", cancellationToken);

        // Act
        var hits = await agent.CallSucceedingAsync("search_knowledge", new() { ["query"] = word }, cancellationToken);

        // Assert
        var ids = hits.EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToList();
        Assert.Equal([inTitle, inBody], ids);
        Assert.Contains($"**{word}**", hits[1].GetProperty("snippet").GetString());
    }

    [Fact]
    public async Task Search_ByStemPrefixAndFtsSyntax_FindsAsDocumentedWithoutErrors()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var word = Word();
        await using var agent = await AgentAsync(cancellationToken);
        var entry = await AddAsync(agent, $"Parsing {word} configuration", "The parser reads every file near the root once.", cancellationToken);

        // Act
        var byStem = await SearchAsync(agent, $"parses {word}", cancellationToken);
        var byPrefix = await SearchAsync(agent, $"{word} configur", cancellationToken);
        // FTS5 syntax is taken as words: this looks for "kw…", "near" and "parser", all in the entry.
        var hostile = await SearchAsync(agent, $"\"{word}* NEAR(parser) -: ^", cancellationToken);
        var none = await agent.CallToolAsync("search_knowledge", new Dictionary<string, object?> { ["query"] = "\"*- :" }, cancellationToken: cancellationToken);

        // Assert
        Assert.Contains(entry, byStem);
        Assert.Contains(entry, byPrefix);
        Assert.Contains(entry, hostile);
        Assert.True(none.IsError);
        Assert.Contains("'query' holds no words", McpCalls.Text(none));
    }

    [Fact]
    public async Task EntryLifecycle_EditRelateVote_KeepsVersionsAndLinks()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await AgentAsync(cancellationToken);
        var old = await AddAsync(agent, $"Retry policy {Word()}", "Retry three times.", cancellationToken);
        var added = await agent.CallSucceedingAsync("add_knowledge", new()
        {
            ["title"] = $"Retry policy, revised {Word()}", ["body"] = "Retry with exponential backoff and full jitter; backoff caps at a minute.",
            ["category"] = "Decision",
        }, cancellationToken);
        var id = added.GetProperty("id").GetString();

        // Act
        await agent.CallSucceedingAsync("update_knowledge", new() { ["entryId"] = id, ["body"] = "Retry with exponential backoff, capped at five minutes." }, cancellationToken);
        await agent.CallSucceedingAsync("relate_knowledge", new() { ["entryId"] = id, ["toEntryId"] = old, ["kind"] = "supersedes" }, cancellationToken);
        var voted = await agent.CallSucceedingAsync("vote_knowledge", new() { ["entryId"] = id, ["useful"] = true }, cancellationToken);
        var details = await agent.CallSucceedingAsync("get_knowledge", new() { ["entryId"] = id }, cancellationToken);
        var selfLink = await agent.CallToolAsync("relate_knowledge", new Dictionary<string, object?> { ["entryId"] = id, ["toEntryId"] = id, ["kind"] = "relates-to" }, cancellationToken: cancellationToken);

        // Assert
        // Drawn from the text: title words count three times, body words once (KnowledgeTags).
        var tags = added.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(["retry", "policy", "revised"], tags.Take(3));
        Assert.Equal("backoff", tags[^1]);
        Assert.Equal(1, voted.GetProperty("usefulVotes").GetInt32());
        var entry = details.GetProperty("entry");
        Assert.Equal((2, "Decision"), (entry.GetProperty("version").GetInt32(), entry.GetProperty("category").GetString()));
        var version = Assert.Single(details.GetProperty("versions").EnumerateArray());
        Assert.StartsWith("Retry with exponential backoff and full jitter", version.GetProperty("body").GetString());
        var relation = Assert.Single(details.GetProperty("relations").EnumerateArray());
        Assert.Equal(("Supersedes", "to", old), (relation.GetProperty("kind").GetString(), relation.GetProperty("direction").GetString(), relation.GetProperty("entryId").GetString()));
        Assert.True(selfLink.IsError);
    }

    [Fact]
    public async Task GetTask_MatchingKnowledge_IsSuggested()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var word = Word();
        await using var agent = await AgentAsync(cancellationToken);
        var entry = await AddAsync(agent, $"Migrating {word} schemas", "Back up the file before migrating.", cancellationToken);
        var task = await agent.CallSucceedingAsync("create_task", new()
        {
            ["title"] = $"Add a column to the {word} store", ["requiredCapabilities"] = new[] { $"nobody-{word}" },
        }, cancellationToken);

        // Act
        var details = await agent.CallSucceedingAsync("get_task", new() { ["taskId"] = task.GetProperty("id").GetString() }, cancellationToken);

        // Assert
        Assert.Contains(details.GetProperty("knowledge").EnumerateArray(), h => h.GetProperty("id").GetString() == entry);
    }

    [Fact]
    public async Task Resources_ListPagesAndRead_ServeEveryEntryAsMarkdown()
    {
        // Arrange: more entries than one page holds.
        var cancellationToken = TestContext.Current.CancellationToken;
        var word = Word();
        await using var agent = await AgentAsync(cancellationToken);
        var added = new List<string>();
        for (var i = 0; i < 55; i++)
        {
            added.Add(await AddAsync(agent, $"Entry {i} {word}", $"Body {i}.", cancellationToken));
        }

        // Act
        var firstPage = await agent.ListResourcesAsync(new ModelContextProtocol.Protocol.ListResourcesRequestParams(), cancellationToken);
        var all = await agent.ListResourcesAsync(cancellationToken: cancellationToken);
        var read = await agent.ReadResourceAsync($"vibe://knowledge/{added[7]}", cancellationToken: cancellationToken);
        var templates = await agent.ListResourceTemplatesAsync(cancellationToken: cancellationToken);

        // Assert
        Assert.Equal(50, firstPage.Resources.Count);
        Assert.NotNull(firstPage.NextCursor);
        Assert.Superset(added.Select(id => $"vibe://knowledge/{id}").ToHashSet(), all.Select(r => r.Uri).ToHashSet());
        var text = Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(read.Contents));
        Assert.Equal($"# Entry 7 {word}\n\nBody 7.", text.Text);
        Assert.Contains(templates, t => t.UriTemplate == "vibe://knowledge/{id}");
    }

    [Fact]
    public async Task Register_WithSpecializations_IsToldOfRecentEntriesInItsAreas()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var area = "area-" + Guid.NewGuid().ToString("N")[..8];
        await using var author = await AgentAsync(cancellationToken);
        await author.CallSucceedingAsync("add_knowledge", new()
        {
            ["title"] = "Vacuum the database at night", ["body"] = "Large deletes leave free pages.", ["tags"] = new[] { area },
        }, cancellationToken);
        var name = $"newcomer-{Guid.NewGuid():N}"[..20];
        await using var newcomer = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = name }), cancellationToken: cancellationToken);

        // Act
        await newcomer.CallSucceedingAsync("register_agent", new() { ["name"] = name, ["specializations"] = new[] { area } }, cancellationToken);
        var inbox = await newcomer.CallSucceedingAsync("wait_for_messages", new() { ["waitSeconds"] = 10 }, cancellationToken);

        // Assert
        var message = Assert.Single(inbox.EnumerateArray());
        Assert.Equal(("vibe-ensemble", "Knowledge in your areas"), (message.GetProperty("sender").GetString(), message.GetProperty("subject").GetString()));
        Assert.Contains("Vacuum the database at night", message.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    private static string Word() => "kw" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<string> AddAsync(McpClient agent, string title, string body, CancellationToken cancellationToken) =>
        (await agent.CallSucceedingAsync("add_knowledge", new() { ["title"] = title, ["body"] = body }, cancellationToken)).GetProperty("id").GetString()!;

    private static async Task<List<string?>> SearchAsync(McpClient agent, string query, CancellationToken cancellationToken) =>
        [.. (await agent.CallSucceedingAsync("search_knowledge", new() { ["query"] = query }, cancellationToken)).EnumerateArray()
            .Select(h => h.GetProperty("id").GetString())];

    private async Task<McpClient> AgentAsync(CancellationToken cancellationToken)
    {
        var name = $"sage-{Guid.NewGuid():N}"[..14];
        var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = name }), cancellationToken: cancellationToken);
        await client.CallSucceedingAsync("register_agent", new() { ["name"] = name }, cancellationToken);
        return client;
    }
}
