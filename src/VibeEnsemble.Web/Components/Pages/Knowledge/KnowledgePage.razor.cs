using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Knowledge;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Knowledge;

/// <summary>
/// The knowledge base: search (or the newest entries) with highlighted snippets, category and tag facets, paged on
/// the server; the entry opened beside it (<see cref="KnowledgeEntryPanel"/>). <c>?q=</c> and <c>?entry=</c> link
/// straight to a search or an entry. Live: a change anywhere reloads what is shown.
/// </summary>
public sealed partial class KnowledgePage : LiveComponentBase
{
    private const int PageSize = 20;

    private List<KnowledgeHit> _hits = [];
    private KnowledgeFacets? _facets;
    private KnowledgeDetails? _selected;
    private bool _editing;
    private bool _more;
    private string? _query;
    private string _category = "";
    private string? _tag;
    private string? _error;

    [Inject]
    public required KnowledgeService Knowledge { get; init; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? InitialQuery { get; set; }

    [SupplyParameterFromQuery(Name = "entry")]
    public string? InitialEntry { get; set; }

    protected override EventKinds SubscribedKinds => EventKinds.Knowledge;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_facets is null)
        {
            _query ??= InitialQuery;
            if (Guid.TryParse(InitialEntry, out var entry))
            {
                await OpenAsync(entry);
            }
        }

        _facets = await Knowledge.FacetsAsync(cancellationToken);
        await SearchAsync(_hits.Count <= PageSize ? PageSize : _hits.Count, cancellationToken);
    }

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        if (coordinationEvent is not KnowledgeChanged { Entry: var entry })
        {
            return false;
        }

        await LoadAsync(cancellationToken);
        if (_selected?.Entry.Id == entry.Id && !_editing)
        {
            _selected = await Knowledge.GetAsync(entry.Id, cancellationToken);
        }

        return true;
    }

    /// <summary>Splits a snippet at its <c>**</c> marks into plain and matched runs, rendered as text (never markup).</summary>
    internal static IEnumerable<(string Text, bool Marked)> Highlight(string snippet)
    {
        var parts = snippet.Split("**");
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > 0)
            {
                yield return (parts[i], i % 2 == 1);
            }
        }
    }

    private Task SearchAsync() => RunAsync(() => SearchAsync(PageSize, ComponentToken));

    private async Task SearchAsync(int count, CancellationToken cancellationToken)
    {
        var hits = await Knowledge.SearchAsync(new SearchKnowledgeRequest(_query, _tag, _category, null, null, Math.Min(count + 1, 100)), cancellationToken);
        _more = hits.Count > count;
        _hits = [.. hits.Take(count)];
    }

    private async Task MoreAsync() => await RunAsync(async () =>
    {
        var next = await Knowledge.SearchAsync(new SearchKnowledgeRequest(_query, _tag, _category, null, null, PageSize + 1, _hits.Count), ComponentToken);
        _more = next.Count > PageSize;
        _hits.AddRange(next.Take(PageSize));
    });

    private async Task OnSearchKeyAsync(KeyboardEventArgs args)
    {
        if (args.Key == "Enter")
        {
            await SearchAsync();
        }
    }

    private Task CategoryAsync(string category)
    {
        _category = category;
        return SearchAsync();
    }

    private Task TagAsync(string tag)
    {
        _tag = string.Equals(tag, _tag, StringComparison.OrdinalIgnoreCase) ? null : tag;
        return SearchAsync();
    }

    private void NewEntry()
    {
        _selected = null;
        _editing = true;
    }

    private Task OpenAsync(Guid id) => RunAsync(async () =>
    {
        _editing = false;
        _selected = await Knowledge.GetAsync(id, ComponentToken);
    });

    private async Task SavedAsync(KnowledgeSnapshot entry)
    {
        _editing = false;
        await OpenAsync(entry.Id);
    }

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        try
        {
            await action();
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
    }
}
