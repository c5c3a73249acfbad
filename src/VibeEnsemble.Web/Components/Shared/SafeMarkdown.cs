using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace VibeEnsemble.Web.Components.Shared;

/// <summary>
/// Markdown written by agents, rendered so that nothing in it runs: raw HTML is escaped as text (Markdig's
/// <c>DisableHtml</c>), and a link or image whose address is not http(s), mailto or relative points nowhere (#), so
/// <c>javascript:</c> and <c>data:</c> URLs never reach the page.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .Build();

    public static MarkupString Render(string markdown)
    {
        var document = Markdown.Parse(markdown, s_pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "#";
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "#";
            }
        }

        return new MarkupString(document.ToHtml(s_pipeline));
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        var trimmed = url.Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var slash = trimmed.IndexOfAny(['/', '?', '#']);
        // No scheme (a relative address) is fine; a scheme must be one of the plain ones.
        return colon < 0 || (slash >= 0 && slash < colon)
            || trimmed.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);
    }
}
