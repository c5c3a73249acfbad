using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Components.Pages;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>The Settings page's access token: masked until revealed when one is required, "not needed" on loopback.</summary>
public sealed class SettingsTokenTests : DashboardTestContext
{
    [Fact]
    public async Task Settings_TokenRequired_IsMaskedUntilRevealed()
    {
        // Arrange
        // The context's options are shared with its services: set before anything reads the token.
        var server = Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        (server.RequireToken, server.AccessToken) = (true, "tok-0123456789abcdef0123456789");
        var cut = Render<Settings>();
        var masked = cut.Find("[data-testid=access-token-value]").TextContent;

        // Act
        await cut.Find("[data-testid=reveal-token]").ClickAsync(new());

        // Assert
        Assert.DoesNotContain("tok-", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-0123456789abcdef0123456789", cut.Find("[data-testid=token-header]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal("tok-0123456789abcdef0123456789", cut.Find("[data-testid=access-token-value]").TextContent));
    }

    [Fact]
    public void Settings_Loopback_SaysNoTokenIsNeeded()
    {
        // Arrange + Act
        var cut = Render<Settings>();

        // Assert
        Assert.Equal("not needed: bound to loopback", cut.Find("[data-testid=access-token]").TextContent.Trim());
    }
}
