using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Tests.Web;

public sealed class OriginValidationTests
{
    [Theory]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://127.0.0.1:3000", true)]
    [InlineData("http://[::1]:8081", true)]
    [InlineData("https://dash.example.org", true)]
    [InlineData("https://dash.example.org:8443", false)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://localhost.evil.example", false)]
    [InlineData("null", false)]
    public void IsAllowed_Origin_MatchesLoopbackOrConfigured(string origin, bool allowed)
    {
        // Arrange
        var options = new ServerOptions { AllowedOrigins = ["https://dash.example.org"] };

        // Act + Assert
        Assert.Equal(allowed, OriginValidationMiddleware.IsAllowed(origin, options));
    }
}
