using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Heddle.Proxy.Listeners;

namespace Heddle.Proxy.Tests.Listeners;

public sealed class ConnectRequestReaderTests
{
    private static (string? Authority, string? Error, bool Complete) Parse(string text)
    {
        var (authority, error, consumed) = ConnectRequestReader.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));
        return (authority, error, consumed is not null);
    }

    [Theory]
    [InlineData("CONNECT web:8000 HTTP/1.1\r\nHost: web:8000\r\n\r\n", "web:8000")]
    [InlineData("CONNECT echo.default.svc.cluster.local:9000 HTTP/1.0\r\n\r\n", "echo.default.svc.cluster.local:9000")]
    [InlineData("CONNECT [::1]:443 HTTP/1.1\r\n\r\n", "[::1]:443")]
    public void TryParse_ValidHead_GivesAuthority(string head, string authority)
    {
        Assert.Equal((authority, null, true), Parse(head));
    }

    [Theory]
    [InlineData("CONNECT web HTTP/1.1\r\n\r\n", "CONNECT target 'web' is not host:port")]
    [InlineData("CONNECT web:0 HTTP/1.1\r\n\r\n", "CONNECT target 'web:0' is not host:port")]
    [InlineData("CONNECT web:80\r\n\r\n", "malformed CONNECT request line 'CONNECT web:80'")]
    public void TryParse_BadHead_GivesReason(string head, string error)
    {
        Assert.Equal((null, error, true), Parse(head));
    }

    [Fact]
    public void TryParse_IncompleteHead_WaitsForMore()
    {
        Assert.Equal((null, null, false), Parse("CONNECT web:8000 HTTP/1.1\r\nHost: web"));
    }

    [Fact]
    public async Task ReadAsync_ConsumesHeadOnly()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("CONNECT web:8000 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n"u8.ToArray());

        var (authority, _) = await ConnectRequestReader.ReadAsync(pipe.Reader, CancellationToken.None);

        Assert.Equal("web:8000", authority);
        var rest = await pipe.Reader.ReadAsync();
        Assert.Equal("GET / HTTP/1.1\r\n", Encoding.ASCII.GetString(rest.Buffer));
    }
}
