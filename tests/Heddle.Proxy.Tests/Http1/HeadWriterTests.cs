using System.Buffers;
using System.Text;
using Heddle.Proxy.Http1;

namespace Heddle.Proxy.Tests.Http1;

public sealed class HeadWriterTests
{
    [Fact]
    public void WriteRequest_ToSidecar_DropsHopByHopAndClientMeshFields_AddsThisHopsFields()
    {
        using var head = new RequestHead();
        var text = "GET http://web:8000/a?b=1 HTTP/1.1\r\nHost: ignored\r\nConnection: keep-alive\r\nProxy-Connection: keep-alive\r\n"
            + "x-heddle-inbound-port: 1\r\nx-heddle-peer-metadata: forged\r\nX-Custom: v\r\nx-request-id: r1\r\n\r\n";
        Assert.Equal(HeadStatus.Complete, RequestHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), head, out _));
        var extra = new ForwardedHeaders { InboundPort = 8080, PeerMetadata = "meta" };
        var buffer = new byte[HeadWriter.MaxRequestLength(head, extra)];

        var written = HeadWriter.WriteRequest(buffer, head, extra);

        Assert.Equal(
            "GET /a?b=1 HTTP/1.1\r\nHost: web:8000\r\nX-Custom: v\r\nx-request-id: r1\r\nx-heddle-inbound-port: 8080\r\nx-heddle-peer-metadata: meta\r\n\r\n",
            Encoding.ASCII.GetString(buffer, 0, written));
    }

    [Fact]
    public void WriteRequest_Inbound_ReplacesForwardedClientCert_AddsRequestIdWhenMissing()
    {
        using var head = new RequestHead();
        var text = "POST /p HTTP/1.1\r\nHost: web\r\nx-forwarded-client-cert: forged\r\nContent-Length: 0\r\n\r\n";
        Assert.Equal(HeadStatus.Complete, RequestHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), head, out _));
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var extra = new ForwardedHeaders { ReplaceForwardedClientCert = true, ForwardedClientCert = "By=a;URI=b", RequestId = id };
        var buffer = new byte[HeadWriter.MaxRequestLength(head, extra)];

        var written = HeadWriter.WriteRequest(buffer, head, extra);

        Assert.Equal(
            "POST /p HTTP/1.1\r\nHost: web\r\nContent-Length: 0\r\nx-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e\r\nx-forwarded-client-cert: By=a;URI=b\r\n\r\n",
            Encoding.ASCII.GetString(buffer, 0, written));
    }

    [Fact]
    public void WriteResponse_DropsConnectionFieldsAndPeerMetadata_AddsOwnAndClose()
    {
        var upstream = Encoding.ASCII.GetBytes("HTTP/1.0 200 Fine\r\nConnection: keep-alive\r\nx-heddle-peer-metadata: theirs\r\nContent-Length: 2\r\n\r\n");
        Assert.Equal(HeadStatus.Complete, ResponseHeadParser.Parse(upstream, out var response));
        var buffer = new byte[HeadWriter.MaxResponseLength(response.Length, "mine")];

        var written = HeadWriter.WriteResponse(buffer, upstream, response, "mine", close: true);

        Assert.Equal(
            "HTTP/1.1 200 Fine\r\nContent-Length: 2\r\nx-heddle-peer-metadata: mine\r\nConnection: close\r\n\r\n",
            Encoding.ASCII.GetString(buffer, 0, written));
    }
}
