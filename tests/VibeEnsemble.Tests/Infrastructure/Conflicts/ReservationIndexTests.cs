using CsCheck;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Conflicts;

namespace VibeEnsemble.Tests.Infrastructure.Conflicts;

/// <summary>The reservation index never loses an overlap: it finds exactly what comparing with every reservation finds.</summary>
public sealed class ReservationIndexTests
{
    private static readonly string[] s_segments = ["src", "api", "a", "b", "x.cs", "y.md", "**", "*.cs", "*", "a*", "docs"];

    private static readonly Gen<string> s_path = Gen.Int[0, s_segments.Length - 1].Array[1, 4]
        .Select(parts => string.Join('/', parts.Select(i => s_segments[i])));

    [Fact]
    public void Candidates_AnyPathsAndReservations_FindEveryOverlapBruteForceFinds()
    {
        // Arrange
        var now = DateTimeOffset.UtcNow;

        // Act + Assert
        Gen.Select(s_path.Array[0, 60], s_path).Sample((held, probe) =>
        {
            var claims = held.Select(p => FileClaim.Reserve(Guid.NewGuid(), null, null, p, true, null, TimeSpan.FromHours(1), now)).ToList();
            var index = new ReservationIndex(claims);
            var expected = claims.Where(c => ReservationPaths.Overlap(probe, c.Path)).Select(c => c.Id).Order();
            var actual = index.Candidates(probe).Where(c => ReservationPaths.Overlap(probe, c.Path)).Select(c => c.Id).Distinct().Order();
            return expected.SequenceEqual(actual);
        }, iter: 3_000);
    }
}
