using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Bound beyond loopback, the server answers other machines only with its access token (configured, or generated
/// into the data folder); loopback (the person's own tools, spawned workers) needs none unless RequireToken.
/// </summary>
public sealed class AccessTokenTests
{
    private const string Token = "3f1c0b7e9a5d4e2f8b6c1a0d9e7f5b3c";

    [Fact]
    public async Task BoundToEveryAddress_OtherMachinesNeedTheToken_LoopbackDoesNot()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var external = Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.SkipWhen(external is null, "this machine has no non-loopback IPv4 address to call from");
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken,
            "--bind", "0.0.0.0", "--VibeEnsemble:Server:AccessToken", Token, "--AllowedHosts", "*");
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() });
        var remote = new UriBuilder(server.DashboardUrl) { Host = external!.ToString() }.Uri;

        // Act
        using var refused = await http.GetAsync(new Uri(remote, "/api/health"), cancellationToken);
        using var wrong = await SendAsync(http, new Uri(remote, "/api/health"), "not-the-token", cancellationToken);
        using var bearer = await SendAsync(http, new Uri(remote, "/api/health"), Token, cancellationToken);
        using var viaQuery = await http.GetAsync(new Uri(remote, $"/?access_token={Token}"), cancellationToken);
        using var viaCookie = await http.GetAsync(new Uri(remote, "/api/health"), cancellationToken);
        using var loopback = await new HttpClient().GetAsync(new Uri(server.DashboardUrl, "/api/health"), cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer", await refused.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaCookie.StatusCode);
        Assert.Equal(HttpStatusCode.OK, loopback.StatusCode);
        Assert.DoesNotContain(Token, server.Output);
    }

    [Fact]
    public async Task NoTokenConfigured_OneIsGeneratedOwnerOnly_AndRequireTokenAsksForItOnLoopbackToo()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken, "--VibeEnsemble:Server:RequireToken", "true");
        var file = Path.Combine(data.Path, "access-token");
        using var http = new HttpClient();

        // Act
        var token = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        using var refused = await http.GetAsync(new Uri(server.AgentUrl, "/api/health"), cancellationToken);
        using var accepted = await SendAsync(http, new Uri(server.AgentUrl, "/api/health"), token, cancellationToken);

        // Assert
        Assert.True(token.Length >= 24);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "the token file is readable by its owner only");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.DoesNotContain(token, server.Output);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, string token, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, cancellationToken);
    }
}
