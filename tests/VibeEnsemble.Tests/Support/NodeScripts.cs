namespace VibeEnsemble.Tests.Support;

/// <summary>Runs the JavaScript clients and tools under <c>tests/js</c> with Node 22.</summary>
internal static class NodeScripts
{
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(RepoPaths.Node, arguments, RepoPaths.JsDirectory, cancellationToken);
}
