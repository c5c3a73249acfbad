using VibeEnsemble.Domain.Conflicts;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>
/// A project's active reservations indexed by anchor (a plain path itself, a glob's directories before its first
/// wildcard; <see cref="ReservationPaths.Anchor"/>). Two paths can only overlap when one anchor is the other or lies
/// under it, so a check looks at the reservations anchored on the path's own chain of directories, those anchored
/// below it (one range of the sorted anchors), and the few without an anchor (<c>**/*.cs</c>), instead of all of them.
/// </summary>
internal sealed class ReservationIndex
{
    private readonly Dictionary<string, List<FileClaim>> _byAnchor = new(StringComparer.Ordinal);
    private readonly string[] _anchors;
    private readonly List<FileClaim> _unanchored = [];

    public ReservationIndex(List<FileClaim> claims)
    {
        Claims = claims;
        foreach (var claim in claims)
        {
            var anchor = ReservationPaths.Anchor(claim.Path);
            if (anchor.Length == 0)
            {
                _unanchored.Add(claim);
            }
            else if (_byAnchor.TryGetValue(anchor, out var list))
            {
                list.Add(claim);
            }
            else
            {
                _byAnchor[anchor] = [claim];
            }
        }

        _anchors = [.. _byAnchor.Keys.Order(StringComparer.Ordinal)];
    }

    public List<FileClaim> Claims { get; }

    /// <summary>Every reservation that may overlap <paramref name="path"/> (a superset; <see cref="ReservationPaths.Overlap"/> decides).</summary>
    public IEnumerable<FileClaim> Candidates(string path)
    {
        var anchor = ReservationPaths.Anchor(path);
        if (anchor.Length == 0)
        {
            return Claims;
        }

        var found = new List<FileClaim>(_unanchored);
        // The anchor itself and each directory above it.
        for (var end = anchor.Length; ;)
        {
            if (_byAnchor.TryGetValue(anchor[..end], out var here))
            {
                found.AddRange(here);
            }

            var slash = anchor.LastIndexOf('/', end - 1);
            if (slash <= 0)
            {
                break;
            }

            end = slash;
        }

        // Everything anchored below it: the sorted anchors from "anchor/" up to, not including, "anchor0" ('0' follows '/').
        var below = anchor + "/";
        var start = Array.BinarySearch(_anchors, below, StringComparer.Ordinal);
        for (var i = start < 0 ? ~start : start; i < _anchors.Length && _anchors[i].StartsWith(below, StringComparison.Ordinal); i++)
        {
            found.AddRange(_byAnchor[_anchors[i]]);
        }

        return found;
    }
}
