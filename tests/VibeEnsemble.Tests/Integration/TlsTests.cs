using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// HTTPS through Kestrel's own certificate configuration: a self-signed certificate, the official TypeScript SDK
/// client over Streamable HTTP and WebSocket (trusting it through NODE_EXTRA_CA_CERTS), and a clear refusal to start
/// when the certificate is missing.
/// </summary>
public sealed class TlsTests
{
    [Theory]
    [InlineData("http", "/mcp")]
    [InlineData("ws", "/mcp/ws")]
    public async Task Https_SelfSignedCertificate_TypeScriptSdkRegistersOverTls(string transport, string path)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var (pfx, pem) = WriteSelfSignedCertificate(data.Path);
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken,
            "--VibeEnsemble:Server:Https", "true",
            "--Kestrel:Certificates:Default:Path", pfx, "--Kestrel:Certificates:Default:Password", "test-only");
        var scheme = transport == "ws" ? "wss" : "https";
        var url = $"{scheme}://localhost:{server.AgentUrl.Port}{path}";
        var name = $"tls-{transport}";

        // Act
        var result = await ProcessRunner.RunAsync(RepoPaths.Node,
            ["clients/register-agent.mjs", "--name", name, "--capability", "tls", transport, url], RepoPaths.JsDirectory, cancellationToken,
            new Dictionary<string, string?> { ["NODE_EXTRA_CA_CERTS"] = pem });
        using var plain = new HttpClient();
        var overPlainHttp = await Record.ExceptionAsync(() => plain.GetAsync(new Uri(server.AgentUrl, "/api/health"), cancellationToken));

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        using var output = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        Assert.Equal(name, output.RootElement.GetProperty("registered").GetProperty("name").GetString());
        Assert.NotNull(overPlainHttp);
    }

    [Fact]
    public async Task Https_NoCertificateConfigured_RefusesToStartNamingTheKey()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();

        // Act
        var error = await Record.ExceptionAsync(() => ServerProcess.StartAsync(data.Path, cancellationToken, "--VibeEnsemble:Server:Https", "true"));

        // Assert
        Assert.NotNull(error);
        Assert.Contains("Kestrel:Certificates:Default:Path", error.Message);
    }

    [Fact]
    public async Task Https_WrongCertificatePassword_RefusesToStartSayingWhat()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var (pfx, _) = WriteSelfSignedCertificate(data.Path);

        // Act
        var error = await Record.ExceptionAsync(() => ServerProcess.StartAsync(data.Path, cancellationToken,
            "--VibeEnsemble:Server:Https", "true", "--Kestrel:Certificates:Default:Path", pfx, "--Kestrel:Certificates:Default:Password", "wrong"));

        // Assert
        Assert.NotNull(error);
        Assert.Contains("exited with 2", error.Message);
        Assert.Contains("The HTTPS certificate (Kestrel:Certificates:Default:Path) could not be loaded", error.Message);
    }

    /// <summary>A certificate for localhost and 127.0.0.1 as a .pfx for the server and a PEM for Node to trust.</summary>
    private static (string Pfx, string Pem) WriteSelfSignedCertificate(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var pfx = Path.Combine(directory, "server.pfx");
        var pem = Path.Combine(directory, "server.pem");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "test-only"));
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return (pfx, pem);
    }
}
