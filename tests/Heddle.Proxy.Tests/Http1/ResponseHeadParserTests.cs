using System.Text;
using Heddle.Proxy.Http1;

namespace Heddle.Proxy.Tests.Http1;

public sealed class ResponseHeadParserTests
{
    private static HeadStatus Parse(string text, out ResponseHead head) => ResponseHeadParser.Parse(Encoding.ASCII.GetBytes(text), out head);

    [Fact]
    public void Parse_ContentLength_FramedByLength()
    {
        Assert.Equal(HeadStatus.Complete, Parse("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nbody", out var head));

        Assert.Equal(200, head.Status);
        Assert.Equal(12, head.ContentLength);
        Assert.Equal(BodyFraming.ContentLength, head.Framing(requestMethodHead: false));
        Assert.Equal(BodyFraming.None, head.Framing(requestMethodHead: true));
        Assert.False(head.ConnectionClose);
    }

    [Fact]
    public void Parse_ChunkedWinsOverLength()
    {
        Assert.Equal(HeadStatus.Complete, Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", out var head));

        Assert.Equal(BodyFraming.Chunked, head.Framing(false));
    }

    [Fact]
    public void Parse_Http10WithoutLength_BodyUntilClose()
    {
        Assert.Equal(HeadStatus.Complete, Parse("HTTP/1.0 200 OK\r\n\r\n", out var head));

        Assert.True(head.ConnectionClose);
        Assert.Equal(BodyFraming.UntilClose, head.Framing(false));
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public void Parse_NoContentStatuses_HaveNoBody(int status)
    {
        Assert.Equal(HeadStatus.Complete, Parse($"HTTP/1.1 {status} X\r\nContent-Length: 10\r\n\r\n", out var head));

        Assert.Equal(BodyFraming.None, head.Framing(false));
    }

    [Fact]
    public void Parse_GrpcStatusAndClose_Read()
    {
        Assert.Equal(HeadStatus.Complete, Parse("HTTP/1.1 200 OK\r\ngrpc-status: 14\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", out var head));

        Assert.Equal(14, head.GrpcStatus);
        Assert.True(head.ConnectionClose);
    }

    [Theory]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    public void Parse_Malformed_IsBad(string text)
    {
        Assert.Equal(HeadStatus.BadRequest, Parse(text, out _));
    }
}
