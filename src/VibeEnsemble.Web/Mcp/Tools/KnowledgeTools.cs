using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Knowledge;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="KnowledgeService"/>; <c>vibe/knowledge/*</c> and <c>/api/knowledge</c> are the others.</summary>
[McpServerToolType]
public sealed class KnowledgeTools(KnowledgeService knowledge, AgentService agents, McpSessionTracker sessions)
{
    [McpServerTool(Name = "search_knowledge", Title = "Search knowledge", ReadOnly = true, OpenWorld = false)]
    [Description("Search shared knowledge, best first, with snippets (**matches**); no query: newest.")]
    public Task<IReadOnlyList<KnowledgeHit>> SearchKnowledgeAsync(
        [Description("Words; all must match, by stem (the last also as a prefix).")] string? query = null,
        [Description("Only with this tag.")] string? tag = null,
        [Description("Pattern, Practice, Solution, Guideline, Reference or Decision.")] string? category = null,
        [Description("Only this project's.")] string? project = null,
        [Description("1-100 (default 10).")] int? limit = null,
        [Description("Skip this many.")] int? offset = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => knowledge.SearchAsync(new SearchKnowledgeRequest(query, tag, category, project, null, limit, offset), cancellationToken));

    [McpServerTool(Name = "get_knowledge", Title = "Get knowledge", ReadOnly = true, OpenWorld = false)]
    [Description("A knowledge entry in full, with relations and earlier versions.")]
    public Task<KnowledgeDetails> GetKnowledgeAsync(
        [Description("The entry's id.")] string entryId,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => knowledge.GetAsync(KnowledgeInputs.ParseId(entryId), cancellationToken));

    [McpServerTool(Name = "add_knowledge", Title = "Add knowledge", OpenWorld = false)]
    [Description("Share what you learned so other agents can find it. Tags are drawn from the text if none are given.")]
    public Task<KnowledgeSnapshot> AddKnowledgeAsync(
        McpServer server,
        [Description("Short title, at most 200 characters.")] string title,
        [Description("Markdown body.")] string body,
        [Description("Pattern, Practice, Solution, Guideline, Reference (default) or Decision.")] string? category = null,
        [Description("Tags, e.g. ['sqlite', 'testing'].")] string[]? tags = null,
        [Description("Project it belongs to; none for everyone.")] string? project = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => knowledge.AddAsync(new AddKnowledgeRequest(title, body, category, tags, project), Caller(server), cancellationToken));

    [McpServerTool(Name = "update_knowledge", Title = "Update knowledge", OpenWorld = false)]
    [Description("Edit an entry; omitted fields stay. The previous text is kept as a version.")]
    public Task<KnowledgeSnapshot> UpdateKnowledgeAsync(
        McpServer server,
        [Description("The entry's id.")] string entryId,
        [Description("New title.")] string? title = null,
        [Description("New body.")] string? body = null,
        [Description("New category.")] string? category = null,
        [Description("Replaces the tags.")] string[]? tags = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => knowledge.UpdateAsync(new UpdateKnowledgeRequest(entryId, title, body, category, tags), Caller(server), cancellationToken));

    [McpServerTool(Name = "relate_knowledge", Title = "Relate knowledge", OpenWorld = false)]
    [Description("Link one entry to another.")]
    public Task<KnowledgeSnapshot> RelateKnowledgeAsync(
        [Description("The entry the link starts from.")] string entryId,
        [Description("The entry it points to.")] string toEntryId,
        [Description("relates-to, supersedes, contradicts or derived-from.")] string kind,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => knowledge.RelateAsync(KnowledgeInputs.ParseId(entryId), KnowledgeInputs.ParseId(toEntryId, "toEntryId"),
            KnowledgeInputs.ParseRelation(kind), cancellationToken));

    [McpServerTool(Name = "vote_knowledge", Title = "Vote on knowledge", OpenWorld = false)]
    [Description("Say whether an entry helped; voting again replaces your vote.")]
    public Task<KnowledgeSnapshot> VoteKnowledgeAsync(
        McpServer server,
        [Description("The entry's id.")] string entryId,
        [Description("true if it helped, false if not.")] bool useful,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => knowledge.VoteAsync(KnowledgeInputs.ParseId(entryId), useful, Caller(server), cancellationToken));

    private AgentSnapshot? Caller(McpServer server) => agents.OptionalCaller(sessions.Describe(server));
}
