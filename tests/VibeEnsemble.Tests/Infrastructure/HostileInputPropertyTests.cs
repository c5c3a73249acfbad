using System.Text;
using System.Text.Json;
using CsCheck;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;
using VibeEnsemble.Infrastructure.Workers.Output;
using VibeEnsemble.Web.Mcp;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>
/// Generated input (CsCheck) for the code that reads what clients and workers send: whatever arrives, it answers
/// with a verdict and never throws.
/// </summary>
public sealed class HostileInputPropertyTests
{
    // Pieces of JSON-RPC frames, recombined at random, so that most samples are near-misses rather than noise.
    private static readonly string[] s_fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"method\"", "\"params\"", "\"result\"", "\"error\"",
        "1", "-1", "1e400", "null", "true", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", "{}", "[]", " ", "\"", "\\", "\u00e9", "\"m\"",
    ];

    private static readonly Gen<string> s_nearJson = Gen.Int[0, s_fragments.Length - 1].Array[0, 40]
        .Select(picks => string.Concat(picks.Select(i => s_fragments[i])));

    [Fact]
    public void FrameValidator_AnyBytes_ReturnsAVerdictAndNeverThrows() =>
        Gen.OneOf(Gen.Byte.Array[0, 512], s_nearJson.Select(Encoding.UTF8.GetBytes)).Sample(bytes =>
        {
            using var result = JsonRpcFrameValidator.Validate(bytes);
            Assert.True(Enum.IsDefined(result.Kind));
        }, iter: 20_000);

    [Fact]
    public void ToolArguments_AnyJsonAgainstARealSchema_NamesAProblemOrNoneAndNeverThrows()
    {
        using var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"name":{"type":"string"},"capabilities":{"type":["array","null"],"items":{"type":["string","null"]}},
             "waitSeconds":{"type":["integer","null"]},"retryable":{"type":"boolean"},"meta":{"type":"object"}},"required":["name"]}
            """);
        // Every JSON kind, and arrays mixing them: the shapes a careless or hostile client sends.
        var scalar = Gen.OneOf(
            Gen.Int[0, 0].Select(_ => (object?)null), Gen.Bool.Select(b => (object?)b), Gen.Long.Select(n => (object?)n),
            Gen.Double.Where(double.IsFinite).Select(d => (object?)d), Gen.String.Select(t => (object?)t));
        var value = Gen.OneOf(
            scalar, scalar.Array[0, 5].Select(items => (object?)items), Gen.String.Array[0, 5].Select(items => (object?)items),
            scalar.Select(inner => (object?)new Dictionary<string, object?> { ["k"] = inner }))
            .Select(v => JsonSerializer.SerializeToElement(v));
        var arguments = Gen.Select(Gen.Const(new[] { "name", "capabilities", "waitSeconds", "retryable", "meta", "other" }).SelectMany(names => Gen.Int[0, names.Length - 1].Select(i => names[i])), value)
            .Array[0, 6].Select(pairs => (IDictionary<string, JsonElement>)pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2));
        arguments.Sample(args =>
        {
            var problem = ToolArguments.Problem(schema.RootElement, args);
            Assert.True(problem is null || problem.StartsWith('\''));
        }, iter: 20_000);
    }

    [Fact]
    public void StreamJsonParser_AnyLine_ClassifiesItAndNeverThrows() =>
        Gen.OneOf(Gen.String, s_nearJson, s_nearJson.Select(json => "{\"type\":\"result\"," + json)).Sample(line =>
        {
            var parsed = StreamJsonEvent.Parse(line);
            Assert.True(Enum.IsDefined(parsed.Kind));
            Assert.True(parsed.Summary.Length <= StreamJsonEvent.SummaryMaxChars + 1);
        }, iter: 20_000);
}
