using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VibeEnsemble.Tests.Support;

/// <summary>The web app in-process on TestServer, with a private data folder.</summary>
public sealed class VibeWebApplicationFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new();

    internal string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("VibeEnsemble:Storage:DataDirectory", _data.Path);
        builder.UseEnvironment("Testing");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
