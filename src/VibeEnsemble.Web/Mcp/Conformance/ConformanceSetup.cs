using ModelContextProtocol.Protocol;

// logging/setLevel is still part of the 2025-11-25 revision the suite checks.
#pragma warning disable MCP9005

namespace VibeEnsemble.Web.Mcp.Conformance;

internal static class ConformanceSetup
{
    private static readonly string[] s_completionValues = ["paris", "park", "party"];

    /// <summary>Adds the conformance suite's fixtures next to the real tools.</summary>
    public static IMcpServerBuilder AddConformanceFixtures(this IMcpServerBuilder mcp) =>
        mcp.WithTools<ConformanceTools>()
            .WithResources<ConformanceResources>()
            .WithPrompts<ConformancePrompts>()
            .WithSubscribeToResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithUnsubscribeFromResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithCompleteHandler((context, _) =>
            {
                var prefix = context.Params?.Argument.Value ?? "";
                string[] values = [.. s_completionValues.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))];
                return ValueTask.FromResult(new CompleteResult
                {
                    Completion = new Completion { Values = values, Total = values.Length, HasMore = false },
                });
            });
}
