using VibeEnsemble.Web.Cli;

namespace VibeEnsemble.Tests.Web;

public sealed class ServerArgumentsTests
{
    [Fact]
    public void SplitPassThrough_MixedCommandLine_TakesOutOnlyConfigurationKeysWithTheirValues()
    {
        // Arrange
        string[] args =
        [
            "init", "--VibeEnsemble:Workers:ClaudePath", "/opt/claude", "--agent-port", "9000", "--AllowedHosts=*",
            "--environment", "Development", "--agent-port:9001", "--agent-prot", "1", "--Serilog:MinimumLevel:Default", "--dry-run",
        ];

        // Act
        var (parsed, passThrough) = ServerArguments.SplitPassThrough(args);

        // Assert
        Assert.Equal(["--VibeEnsemble:Workers:ClaudePath=/opt/claude", "--AllowedHosts=*", "--environment=Development"], passThrough);
        Assert.Equal(["init", "--agent-port", "9000", "--agent-port:9001", "--agent-prot", "1", "--Serilog:MinimumLevel:Default", "--dry-run"], parsed);
    }
}
