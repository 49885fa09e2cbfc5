using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Heddle.Proxy.Listeners;

namespace Heddle.Proxy.Tests.Listeners;

/// <summary>The preface two sidecars exchange to open a TCP tunnel: what one writes, the other reads.</summary>
public sealed class TunnelPrefaceTests
{
    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Request_RoundTrips_ServicePortAndMetadata()
    {
        var bytes = TunnelPreface.Request("tcp-echo.foo.svc.cluster.local:9000", 9000, "workload=sleep;namespace=foo");

        var (request, error, consumed) = TunnelPreface.TryParseRequest(new ReadOnlySequence<byte>(bytes));

        Assert.Null(error);
        Assert.NotNull(consumed);
        Assert.Equal(new TunnelRequest("tcp-echo.foo.svc.cluster.local:9000", 9000, "workload=sleep;namespace=foo"), request);
    }

    [Fact]
    public void Response_RoundTrips_StatusAndMetadata()
    {
        var (status, metadata, consumed) = TunnelPreface.TryParseResponse(new ReadOnlySequence<byte>(TunnelPreface.Response(200, "workload=tcp-echo")));

        Assert.Equal(200, status);
        Assert.Equal("workload=tcp-echo", metadata);
        Assert.NotNull(consumed);
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", Encoding.ASCII.GetString(TunnelPreface.Response(403, null)));
    }

    [Fact]
    public void TryParseRequest_IncompleteHead_AsksForMore()
    {
        Assert.Null(TunnelPreface.TryParseRequest(Bytes("CONNECT a:1 HTTP/1.1\r\nx-heddle-inbound-port: 1\r\n")).Consumed);
    }

    [Theory]
    [InlineData("CONNECT a:1 HTTP/1.1\r\n\r\n", "tunnel request without a valid x-heddle-inbound-port header")]
    [InlineData("CONNECT a:1 HTTP/1.1\r\nx-heddle-inbound-port: 70000\r\n\r\n", "tunnel request without a valid x-heddle-inbound-port header")]
    [InlineData("GET / HTTP/1.1\r\nx-heddle-inbound-port: 80\r\n\r\n", "malformed tunnel request line 'GET / HTTP/1.1'")]
    public void TryParseRequest_BadHead_GivesReason(string head, string reason)
    {
        var (request, error, consumed) = TunnelPreface.TryParseRequest(Bytes(head));

        Assert.Null(request);
        Assert.Equal(reason, error);
        Assert.NotNull(consumed);
    }

    [Fact]
    public async Task ReadRequestAsync_LeavesTheTunnelsBytesUnread()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(TunnelPreface.Request("a:9000", 9000, "workload=sleep"));
        await pipe.Writer.WriteAsync("port 9000\n"u8.ToArray());

        var (request, _) = await TunnelPreface.ReadRequestAsync(pipe.Reader, CancellationToken.None);
        var rest = await pipe.Reader.ReadAsync();

        Assert.Equal(9000, request!.Port);
        Assert.Equal("port 9000\n", Encoding.ASCII.GetString(rest.Buffer));
    }

    [Fact]
    public async Task ReadResponseAsync_ClosedWithoutAnswer_IsStatusZero()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync();

        Assert.Equal((0, null), await TunnelPreface.ReadResponseAsync(pipe.Reader, CancellationToken.None));
    }
}
