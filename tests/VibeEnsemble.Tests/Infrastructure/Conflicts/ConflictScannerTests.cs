using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Conflicts.Scans;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure.Conflicts;

/// <summary>The scan's comparison on real git worktrees of a temporary repository, changed as workers would (uncommitted).</summary>
public sealed class ConflictScannerTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Compare_SameLinesChangedDifferently_IsHighWithBothSidesHunksAndLeavesWorktreesUntouched()
    {
        // Arrange
        var (repo, a, b) = await TwoWorktreesAsync();
        await File.WriteAllTextAsync(Path.Combine(a, "shared.txt"), "one\nTWO by alpha\nthree\nfour\nfive\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(b, "shared.txt"), "one\nTWO by beta\nthree\nfour\nfive\n", TestContext.Current.CancellationToken);
        var statusBefore = await GitRepository.RunAsync(a, "status", "--porcelain");

        // Act
        var found = await CompareAsync(repo, a, b);

        // Assert
        var conflict = Assert.Single(found);
        Assert.Equal(ConflictSeverity.High, conflict.Severity);
        Assert.Equal(["shared.txt"], conflict.Files);
        Assert.Contains("A trial merge of the two sides fails on: shared.txt", conflict.Detail);
        Assert.Contains("## shared.txt (same lines)", conflict.Detail);
        Assert.Contains("### alpha: line 2\n@@ -2 +2 @@ one\n-two\n+TWO by alpha\n", conflict.Detail);
        Assert.Contains("### beta: line 2\n@@ -2 +2 @@ one\n-two\n+TWO by beta\n", conflict.Detail);
        Assert.Equal(statusBefore, await GitRepository.RunAsync(a, "status", "--porcelain"));
        Assert.Equal("", await GitRepository.RunAsync(repo, "stash", "list"));
        Assert.Equal("", await GitRepository.RunAsync(a, "diff", "--cached", "--name-only"));
    }

    [Fact]
    public async Task Compare_DifferentLinesOfOneFile_IsLowAndMergesCleanly()
    {
        // Arrange
        var (repo, a, b) = await TwoWorktreesAsync();
        await File.WriteAllTextAsync(Path.Combine(a, "shared.txt"), "ONE\ntwo\nthree\nfour\nfive\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(b, "shared.txt"), "one\ntwo\nthree\nfour\nFIVE\n", TestContext.Current.CancellationToken);

        // Act
        var found = await CompareAsync(repo, a, b);

        // Assert
        var conflict = Assert.Single(found);
        Assert.Equal(ConflictSeverity.Low, conflict.Severity);
        Assert.Contains("A trial merge of the two sides succeeds", conflict.Detail);
    }

    [Fact]
    public async Task Compare_FileThatConflictedBefore_IsMediumAndSaysSo()
    {
        // Arrange
        var (repo, a, b) = await TwoWorktreesAsync();
        await File.WriteAllTextAsync(Path.Combine(a, "shared.txt"), "ONE\ntwo\nthree\nfour\nfive\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(b, "shared.txt"), "one\ntwo\nthree\nfour\nFIVE\n", TestContext.Current.CancellationToken);

        // Act
        var found = await CompareAsync(repo, a, b, hot: ["shared.txt"]);

        // Assert
        Assert.Equal(ConflictSeverity.Medium, Assert.Single(found).Severity);
        Assert.Contains("Conflicted before: shared.txt", found[0].Detail);
    }

    [Fact]
    public async Task Compare_DisjointFilesOrNewFiles_OnlyTheCommonNewFileCountsAndItsTrialMergeFails()
    {
        // Arrange
        var (repo, a, b) = await TwoWorktreesAsync();
        await File.WriteAllTextAsync(Path.Combine(a, "only-alpha.txt"), "a\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(b, "only-beta.txt"), "b\n", TestContext.Current.CancellationToken);
        var before = await CompareAsync(repo, a, b);
        await File.WriteAllTextAsync(Path.Combine(a, "notes.md"), "alpha's notes\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(b, "notes.md"), "beta's notes\n", TestContext.Current.CancellationToken);

        // Act
        var after = await CompareAsync(repo, a, b);

        // Assert
        Assert.Empty(before);
        var conflict = Assert.Single(after);
        Assert.Equal(["notes.md"], conflict.Files);
        // Both created it with different text: an add/add conflict for the trial merge, so high.
        Assert.Equal(ConflictSeverity.High, conflict.Severity);
        Assert.Contains("A trial merge of the two sides fails on: notes.md", conflict.Detail);
        Assert.Contains("@@ -0,0 +1 @@", conflict.Detail);
    }

    [Fact]
    public void Parse_GitDiffOutput_ReadsBaseRangesPerFileIncludingInsertionsAndDeletions()
    {
        // Arrange
        const string diff = "diff --git a/x.cs b/x.cs\nindex 1..2 100644\n--- a/x.cs\n+++ b/x.cs\n@@ -3,2 +3 @@\n-a\n-b\n+c\n@@ -10,0 +10,2 @@\n+d\n+e\n"
            + "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1,4 +0,0 @@\n-1\n-2\n-3\n-4\n";

        // Act
        var files = WorktreeDiff.Parse(diff);

        // Assert
        Assert.Equal([new LineRange(3, 2), new LineRange(11, 0)], files["x.cs"].Ranges);
        Assert.Equal(5, files["x.cs"].ChangedLines);
        Assert.Equal([new LineRange(1, 4)], files["gone.txt"].Ranges);
        Assert.True(new LineRange(11, 0).Overlaps(new LineRange(11, 0)));
        Assert.False(new LineRange(3, 2).Overlaps(new LineRange(5, 1)));
    }

    private async Task<List<Observation>> CompareAsync(string repo, string a, string b, string[]? hot = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var head = (await GitRepository.RunAsync(repo, "rev-parse", "HEAD")).Trim();
        var sides = new List<(ScanTarget, WorktreeDiff)>();
        foreach (var (name, path, id) in new[] { ("alpha", a, Guid.Parse("00000000-0000-0000-0000-00000000000a")), ("beta", b, Guid.Parse("00000000-0000-0000-0000-00000000000b")) })
        {
            var diff = await WorktreeDiff.ReadAsync(path, head, cancellationToken);
            Assert.NotNull(diff);
            sides.Add((new ScanTarget(new ConflictSide(id, name, null, null, null), null, repo, path, head), diff));
        }

        return await ConflictScanner.CompareAsync(sides, _ => new HashSet<string>(hot ?? []), cancellationToken);
    }

    private async Task<(string Repo, string A, string B)> TwoWorktreesAsync()
    {
        var repo = Directory.CreateDirectory(_root.File("repo")).FullName;
        await GitRepository.InitAsync(repo, ("shared.txt", "one\ntwo\nthree\nfour\nfive\n"));
        var (a, b) = (_root.File("wt-alpha"), _root.File("wt-beta"));
        await GitRepository.RunAsync(repo, "worktree", "add", "--quiet", "-b", "alpha", a);
        await GitRepository.RunAsync(repo, "worktree", "add", "--quiet", "-b", "beta", b);
        return (repo, a, b);
    }
}
