namespace VibeEnsemble.Web.Mcp.Conformance;

/// <summary>Small binary payloads the fixtures hand out.</summary>
internal static class ConformanceContent
{
    /// <summary>A 1×1 red pixel PNG.</summary>
    public const string RedPixelPng =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    /// <summary>A 44-byte WAV header with no samples: the smallest valid audio file.</summary>
    public const string SilentWav = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";
}
