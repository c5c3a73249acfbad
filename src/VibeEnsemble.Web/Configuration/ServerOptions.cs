namespace VibeEnsemble.Web.Configuration;

/// <summary>Where the server listens. Bound from <c>VibeEnsemble:Server</c>.</summary>
public sealed class ServerOptions
{
    public const string SectionName = "VibeEnsemble:Server";

    /// <summary>Address both ports bind to. Default <c>127.0.0.1</c>: nothing is reachable from other machines.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the dashboard. Default 8080.</summary>
    public int DashboardPort { get; set; } = 8080;

    /// <summary>Port of the agent endpoints (MCP and the native JSON-RPC API). Default 8081.</summary>
    public int AgentPort { get; set; } = 8081;

    /// <summary>
    /// Browser origins allowed besides loopback ones, e.g. <c>https://dash.example.org</c>. Requests carrying any
    /// other <c>Origin</c> header are refused with 403, which stops DNS-rebinding attacks on local agents.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The secret every request from another machine must carry (<c>Authorization: Bearer …</c>, or once as
    /// <c>?access_token=</c> in a browser, which then keeps it in a cookie). Requests over loopback need none unless
    /// <see cref="RequireToken"/>. Unset: one is generated on first start into <c>access-token</c> in the data folder.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Serves both ports over HTTPS (and WSS) with the certificate Kestrel is configured with
    /// (<c>Kestrel:Certificates:Default:Path</c> and <c>:Password</c>, or <c>:KeyPath</c> for PEM). Default false.
    /// </summary>
    public bool Https { get; set; }

    /// <summary>Asks for the token on loopback too (a shared machine). Default false.</summary>
    public bool RequireToken { get; set; }

    public const int AccessTokenMinLength = 24;
}
