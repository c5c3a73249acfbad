using System.Text;
using System.Text.Json;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Tests.Infrastructure;

public sealed class JsonRpcFrameValidatorTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"m"}""", "1", null)]
    [InlineData("""{"jsonrpc":"2.0","id":"a","method":"m","params":{"x":1}}""", "\"a\"", """{"x":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":[1,2]}""", null, "[1,2]")]
    public void Validate_WellFormedCall_ExposesMethodIdAndParams(string frame, string? id, string? parameters)
    {
        // Act
        using var result = JsonRpcFrameValidator.Validate(Encoding.UTF8.GetBytes(frame.Replace(",", ", \n")));

        // Assert
        Assert.Equal(FrameKind.Call, result.Kind);
        Assert.Equal("m", result.Method);
        Assert.Equal(id, result.Id is null ? null : Encoding.UTF8.GetString(result.Id));
        Assert.Equal(parameters, result.Params?.GetRawText().Replace(", \n", ","));
    }

    [Theory]
    [InlineData("{", -32700, null)]
    [InlineData("[1]", -32600, null)]
    [InlineData("\"text\"", -32600, null)]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"m"}""", -32600, null)]
    [InlineData("""{"jsonrpc":"2.1","id":5,"method":"m"}""", -32600, "5")]
    [InlineData("""{"jsonrpc":"2.0","id":"k","method":""}""", -32600, "\"k\"")]
    [InlineData("""{"jsonrpc":"2.0","id":"k","method":"m","params":3}""", -32600, "\"k\"")]
    [InlineData("""{"jsonrpc":"2.0","id":"k","result":1,"error":{}}""", -32600, "\"k\"")]
    public void Validate_Malformed_AnswersWithErrorAndEchoesId(string frame, int code, string? id)
    {
        // Act
        using var result = JsonRpcFrameValidator.Validate(Encoding.UTF8.GetBytes(frame));

        // Assert
        Assert.Equal(FrameKind.Invalid, result.Kind);
        using var reply = JsonDocument.Parse(result.ErrorResponse);
        Assert.Equal("2.0", reply.RootElement.GetProperty("jsonrpc").GetString());
        Assert.Equal(code, reply.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(id ?? "null", reply.RootElement.GetProperty("id").GetRawText());
    }

    [Fact]
    public void Validate_Response_IsRecognised()
    {
        // Act
        using var result = JsonRpcFrameValidator.Validate("""{"jsonrpc":"2.0","id":3,"result":{}}"""u8.ToArray());

        // Assert
        Assert.Equal(FrameKind.Response, result.Kind);
    }
}
