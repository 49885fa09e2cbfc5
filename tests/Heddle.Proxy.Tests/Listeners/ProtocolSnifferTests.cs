using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Heddle.Proxy.Listeners;

namespace Heddle.Proxy.Tests.Listeners;

public sealed class ProtocolSnifferTests
{
    private static SniffResult? Classify(string text, bool allowConnect = true) =>
        ProtocolSniffer.Classify(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), allowConnect);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", "Http1")]
    [InlineData("GET http://web:8000/ HTTP/1.1\r\n", "Http1")]
    [InlineData("POST /x", "Http1")]
    [InlineData("PUT /x", "Http1")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "Http2")]
    [InlineData("CONNECT web:443 HTTP/1.1\r\n", "Connect")]
    [InlineData("\u0016\u0003\u0001", "Other")]
    [InlineData("get / HTTP/1.1", "Other")]
    [InlineData(" GET", "Other")]
    public void Classify_CompleteStarts(string start, string expected)
    {
        Assert.Equal(Enum.Parse<SniffResult>(expected), Classify(start));
    }

    [Fact]
    public async Task SniffAsync_TlsHandshakeOnTheInboundListener_IsTlsAndNothingIsConsumed()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 });

        var result = await ProtocolSniffer.SniffAsync(pipe.Reader, allowConnect: false, CancellationToken.None, allowTls: true);

        Assert.Equal(SniffResult.Tls, result);
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal(5, read.Buffer.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("GE")]
    [InlineData("PRI * HTTP/2")]
    [InlineData("CONN")]
    public void Classify_TooFewBytes_AsksForMore(string start)
    {
        Assert.Null(Classify(start));
    }

    [Fact]
    public void Classify_ConnectWhereNotAllowed_IsHttp1()
    {
        Assert.Equal(SniffResult.Http1, Classify("CONNECT web:443 HTTP/1.1", allowConnect: false));
    }

    [Fact]
    public async Task SniffAsync_LeavesEveryByteForTheNextReader()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("PRI * HTTP/2.0\r\n"u8.ToArray());
        var sniffing = ProtocolSniffer.SniffAsync(pipe.Reader, allowConnect: true, CancellationToken.None);
        Assert.False(sniffing.IsCompleted);
        await pipe.Writer.WriteAsync("\r\nSM\r\n\r\nframes"u8.ToArray());

        Assert.Equal(SniffResult.Http2, await sniffing);
        var read = await pipe.Reader.ReadAsync();
        Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nframes", Encoding.ASCII.GetString(read.Buffer));
    }

    [Fact]
    public async Task SniffAsync_ClosedBeforeAnyByte_IsClosed()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync();

        Assert.Equal(SniffResult.Closed, await ProtocolSniffer.SniffAsync(pipe.Reader, allowConnect: true, CancellationToken.None));
    }
}
