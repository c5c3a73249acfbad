using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Knowledge;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Knowledge entries as MCP resources, <c>vibe://knowledge/{id}</c> (markdown): <c>resources/list</c> pages through
/// them newest first, 50 at a time (the cursor is opaque to clients; it is the offset), and <c>resources/read</c>
/// returns one entry's title and body.
/// </summary>
internal static class KnowledgeResources
{
    public const string Scheme = "vibe://knowledge/";
    private const int PageSize = 50;

    public static IMcpServerBuilder WithKnowledgeResources(this IMcpServerBuilder mcp) => mcp
        .WithListResourceTemplatesHandler((_, _) => ValueTask.FromResult(new ListResourceTemplatesResult
        {
            ResourceTemplates =
            [
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "{id}", Name = "knowledge", Title = "Knowledge entry", MimeType = "text/markdown",
                    Description = "A shared knowledge entry by id (search_knowledge finds ids).",
                },
            ],
        }))
        .WithListResourcesHandler(async (context, cancellationToken) =>
        {
            var offset = Offset(context.Params?.Cursor);
            var knowledge = context.Services!.GetRequiredService<KnowledgeService>();
            var hits = await Explain(() => knowledge.SearchAsync(new SearchKnowledgeRequest(Limit: PageSize + 1, Offset: offset), cancellationToken));
            return new ListResourcesResult
            {
                Resources = [.. hits.Take(PageSize).Select(hit => new Resource
                {
                    Uri = Scheme + hit.Id, Name = hit.Title, MimeType = "text/markdown",
                    Description = $"{hit.Category}; tags: {string.Join(", ", hit.Tags)}",
                })],
                NextCursor = hits.Count > PageSize && offset + PageSize <= 10_000 ? (offset + PageSize).ToString(CultureInfo.InvariantCulture) : null,
            };
        })
        .WithReadResourceHandler(async (context, cancellationToken) =>
        {
            var uri = context.Params?.Uri ?? "";
            if (!uri.StartsWith(Scheme, StringComparison.Ordinal) || !Guid.TryParse(uri[Scheme.Length..], out var id))
            {
                throw new McpException($"Unknown resource '{Inputs.Shorten(uri, 100)}'; knowledge entries are {Scheme}{{id}}.");
            }

            var details = await Explain(() => context.Services!.GetRequiredService<KnowledgeService>().GetAsync(id, cancellationToken));
            return new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = uri, MimeType = "text/markdown", Text = $"# {details.Entry.Title}\n\n{details.Entry.Body}" }],
            };
        });

    private static int Offset(string? cursor) =>
        cursor is null ? 0
        : int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= 10_000 ? offset
        : throw new McpException("The cursor is not one this server gave out; list again from the start.");

    private static async Task<T> Explain<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (DomainException ex)
        {
            throw new McpException(ex.Message);
        }
    }
}
