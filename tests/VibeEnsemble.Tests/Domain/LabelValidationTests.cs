using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Tests.Domain;

/// <summary>Label lists (capabilities, specializations) as every entity checks them, here through task creation.</summary>
public sealed class LabelValidationTests
{
    [Fact]
    public void Labels_TwoHundredThousandDistinctEntries_AreRefusedWithoutWalkingThem()
    {
        // Arrange: validating this took ~50 s when duplicates were checked with a list (quadratic).
        var entries = Enumerable.Range(0, 200_000).Select(i => $"capability-{i}").ToArray();

        // Act
        var error = Assert.Throws<DomainException>(() => Create(entries));

        // Assert
        Assert.Equal("'requiredCapabilities' lists 200000 entries; it may hold at most 64.", error.Message);
    }

    [Fact]
    public void Labels_LazySequenceOfMillions_StopsAtTheFirstEntryPastTheLimit()
    {
        // Arrange: a sequence that cannot say its length up front, and would never end.
        var pulled = 0;
        IEnumerable<string> Endless()
        {
            for (var i = 0; ; i++)
            {
                pulled++;
                yield return $"c{i}";
            }
        }

        // Act
        var error = Assert.Throws<DomainException>(() => Create(Endless()));

        // Assert
        Assert.Equal("'requiredCapabilities' may hold at most 64 entries.", error.Message);
        Assert.Equal(65, pulled);
    }

    [Fact]
    public void Labels_BlanksAndRepeats_AreDroppedKeepingTheFirstSpellingAndOrder()
    {
        // Act
        var labels = Create([" Rust ", "", "rust", "SQL", "   ", "sql", "Go"]).RequiredCapabilities;

        // Assert
        Assert.Equal(["Rust", "SQL", "Go"], labels);
    }

    private static AgentTask Create(IEnumerable<string> capabilities) =>
        AgentTask.Create("Task", null, capabilities, Priority.Normal, null, DateTimeOffset.UnixEpoch);
}
