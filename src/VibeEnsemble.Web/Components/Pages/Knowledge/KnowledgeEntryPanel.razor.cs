using Microsoft.AspNetCore.Components;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Knowledge;

namespace VibeEnsemble.Web.Components.Pages.Knowledge;

/// <summary>
/// One knowledge entry: its markdown rendered safely, votes, relations, and each earlier version as a line diff
/// against the text that replaced it; or the form that writes a new entry or edits this one (as the person).
/// </summary>
public sealed partial class KnowledgeEntryPanel : ComponentBase
{
    private bool _editing;
    private int? _diffed;
    private string? _title;
    private string? _body;
    private string _category = "Reference";
    private string? _tags;
    private string? _formError;
    private Guid? _formFor;

    [Inject]
    public required KnowledgeService Knowledge { get; init; }

    [Parameter]
    public KnowledgeDetails? Details { get; set; }

    /// <summary>Whether the page asked for the form (a new entry).</summary>
    [Parameter]
    public bool Editing { get; set; }

    [Parameter]
    public EventCallback<KnowledgeSnapshot> Saved { get; set; }

    [Parameter]
    public EventCallback<Guid> Open { get; set; }

    [Parameter]
    public EventCallback<string> Error { get; set; }

    protected override void OnParametersSet()
    {
        // A different entry (or none) resets the form to it.
        if (_formFor != Details?.Entry.Id)
        {
            _formFor = Details?.Entry.Id;
            _editing = false;
            _diffed = null;
            Fill();
        }
    }

    /// <summary>The text that replaced version <paramref name="number"/>: the next version's, or the current body.</summary>
    private static string NextBody(KnowledgeDetails details, int number) =>
        details.Versions.Where(v => v.Number == number + 1).Select(v => v.Body).FirstOrDefault() ?? details.Entry.Body;

    private void StartEdit()
    {
        Fill();
        _editing = true;
    }

    private void Fill()
    {
        var entry = Details?.Entry;
        (_title, _body, _category, _tags, _formError) =
            (entry?.Title, entry?.Body, entry?.Category.ToString() ?? "Reference", entry is null ? null : string.Join(", ", entry.Tags), null);
    }

    private async Task SaveAsync()
    {
        _formError = null;
        var tags = _tags?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var saved = Details is { } details
                ? await Knowledge.UpdateAsync(new UpdateKnowledgeRequest(details.Entry.Id.ToString(), _title, _body, _category, tags ?? []), editor: null, default)
                : await Knowledge.AddAsync(new AddKnowledgeRequest(_title, _body, _category, tags), author: null, default);
            _editing = false;
            await Saved.InvokeAsync(saved);
        }
        catch (DomainException ex)
        {
            _formError = ex.Message;
        }
    }

    private async Task VoteAsync(bool useful)
    {
        try
        {
            var voted = await Knowledge.VoteAsync(Details!.Entry.Id, useful, voter: null, default);
            await Saved.InvokeAsync(voted);
        }
        catch (DomainException ex)
        {
            await Error.InvokeAsync(ex.Message);
        }
    }
}
