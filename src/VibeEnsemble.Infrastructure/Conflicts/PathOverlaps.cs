namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>A task that holds paths: assigned or running, with the paths it declared.</summary>
internal sealed record PathHolder(Guid TaskId, string Title, Guid? ProjectId, IReadOnlyList<string> Paths);

/// <summary>
/// Predicted conflicts: a ready task whose declared paths overlap those of a task already assigned or running in the
/// same project waits until that one is done. Both the claim (<c>get_next_task</c>) and the scheduler ask here.
/// </summary>
internal static class PathOverlaps
{
    /// <summary>Why the task must wait, naming the holder and the overlapping paths; null when it may run.</summary>
    public static string? WaitReason(Guid? projectId, IReadOnlyList<string> paths, IEnumerable<PathHolder> holders)
    {
        if (paths.Count == 0)
        {
            return null;
        }

        foreach (var holder in holders)
        {
            if (holder.ProjectId != projectId)
            {
                continue;
            }

            foreach (var mine in paths)
            {
                foreach (var theirs in holder.Paths)
                {
                    if (ReservationPaths.Overlap(mine, theirs))
                    {
                        return $"waits for task '{holder.Title}', which is changing overlapping paths ({mine} and {theirs})";
                    }
                }
            }
        }

        return null;
    }
}
