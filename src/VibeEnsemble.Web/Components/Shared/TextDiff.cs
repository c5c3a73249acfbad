using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace VibeEnsemble.Web.Components.Shared;

/// <summary>A line diff for showing what an edit changed (DiffPlex): removed, added and unchanged lines in order.</summary>
public static class TextDiff
{
    public sealed record Line(string Kind, string Prefix, string Text);

    public static IEnumerable<Line> Lines(string before, string after) =>
        InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false).Lines.Select(line => line.Type switch
        {
            ChangeType.Deleted => new Line("diff-removed", "-", line.Text),
            ChangeType.Inserted => new Line("diff-added", "+", line.Text),
            _ => new Line("diff-same", " ", line.Text),
        });
}
