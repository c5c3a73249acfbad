using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Tests.Web;

public sealed class ServerOptionsValidationTests
{
    [Fact]
    public void Validate_SeveralMistakes_ReportsEachWithItsKey()
    {
        // Arrange
        var options = new ServerOptions { BindAddress = "my-laptop", DashboardPort = 0, AgentPort = 70000, AllowedOrigins = ["not a url"] };

        // Act
        var result = new ValidateServerOptions(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).Validate(null, options);

        // Assert
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("VibeEnsemble:Server:BindAddress"));
        Assert.Contains(failures, f => f.Contains("VibeEnsemble:Server:DashboardPort"));
        Assert.Contains(failures, f => f.Contains("VibeEnsemble:Server:AgentPort"));
        Assert.Contains(failures, f => f.Contains("VibeEnsemble:Server:AllowedOrigins"));
    }
}
