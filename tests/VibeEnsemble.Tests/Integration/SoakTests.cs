using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// The short soak (the long one is <c>--soak</c> in benchmarks/): agents over /ws and Streamable HTTP making mixed
/// calls while others connect and leave. No call fails, and when everyone has gone no session, connection or file
/// handle is left behind.
/// </summary>
public sealed class SoakTests
{
    [Fact]
    public async Task MixedLoadWithChurn_NoErrors_AndNothingLeakedAfterwards()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var api = server.CreateDashboardClient();
        // Warm-up: the first connections load code and grow pools, which is not a leak.
        await SoakDriver.RunAsync(server.AgentUrl, 4, TimeSpan.FromSeconds(1), 10, "warm", cancellationToken);
        var handlesBefore = server.OpenFileHandles;

        // Act
        var result = await SoakDriver.RunAsync(server.AgentUrl, 10, TimeSpan.FromSeconds(10), 100, "short", cancellationToken);
        var stats = await WaitForNoConnectionsAsync(api, cancellationToken);

        // Assert
        Assert.True(result.Errors == 0, $"{result.Errors} of {result.Calls} calls failed: {string.Join(" | ", result.FirstErrors)}");
        Assert.Equal(100, result.Cycles);
        Assert.True(result.Calls > 500, $"only {result.Calls} calls");
        Assert.Equal((0, 0), (stats.GetProperty("mcpSessions").GetInt32(), stats.GetProperty("nativeConnections").GetInt32()));
        Assert.True(server.OpenFileHandles <= handlesBefore + 10, $"{handlesBefore} handles before, {server.OpenFileHandles} after");
    }

    /// <summary>Sessions end asynchronously after their client leaves: polls /api/stats for a short while (documented polling).</summary>
    private static async Task<JsonElement> WaitForNoConnectionsAsync(HttpClient api, CancellationToken cancellationToken)
    {
        JsonElement stats = default;
        for (var i = 0; i < 100; i++)
        {
            stats = await api.GetFromJsonAsync<JsonElement>("/api/stats", cancellationToken);
            if (stats.GetProperty("mcpSessions").GetInt32() == 0 && stats.GetProperty("nativeConnections").GetInt32() == 0)
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        return stats;
    }
}
