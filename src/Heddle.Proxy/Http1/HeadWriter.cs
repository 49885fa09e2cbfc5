using System.Globalization;
using System.Text;

namespace Heddle.Proxy.Http1;

/// <summary>What the forwarded request head carries besides the client's fields.</summary>
internal readonly struct ForwardedHeaders
{
    /// <summary>The workload port on the peer sidecar (x-heddle-inbound-port), or 0 when the next hop is the endpoint itself.</summary>
    public int InboundPort { get; init; }

    /// <summary>This proxy's peer metadata, sent with <see cref="InboundPort"/>.</summary>
    public string? PeerMetadata { get; init; }

    /// <summary>Inbound: the x-forwarded-client-cert value for the application; the client's own value is always dropped.</summary>
    public string? ForwardedClientCert { get; init; }

    /// <summary>Inbound: drop the client's x-forwarded-client-cert.</summary>
    public bool ReplaceForwardedClientCert { get; init; }

    /// <summary>The request had no x-request-id: this one is added.</summary>
    public Guid RequestId { get; init; }

    /// <summary>Ask the next hop to close after this request (the connection's last under maxRequestsPerConnection).</summary>
    public bool Close { get; init; }
}

/// <summary>Writes HTTP/1.1 heads into a buffer: the request forwarded upstream, the response relayed downstream, and
/// the proxy's own short answers.</summary>
internal static class HeadWriter
{
    /// <summary>Room for what <see cref="WriteRequest"/> adds to the client's head.</summary>
    public static int MaxRequestLength(RequestHead head, in ForwardedHeaders extra) =>
        head.Length + 256 + (extra.PeerMetadata?.Length ?? 0) + (extra.ForwardedClientCert?.Length ?? 0);

    /// <summary>The forwarded request head: origin-form target, Host kept (the absolute-form authority wins), hop-by-hop
    /// and mesh fields dropped, the mesh fields of this hop added. Returns the bytes written.</summary>
    public static int WriteRequest(Span<byte> destination, RequestHead head, in ForwardedHeaders extra)
    {
        var writer = new SpanWriter(destination);
        writer.Write(head.SliceBytes(head.MethodSegment));
        writer.Write((byte)' ');
        writer.Write(head.Bytes[head.Path.Start..head.Query.End]);
        writer.Write(" HTTP/1.1\r\nHost: "u8);
        var authority = head.AbsoluteForm ? head.SliceBytes(head.TargetAuthority) : head.SliceBytes(head.Field(head.HostIndex).Value);
        writer.Write(authority);
        writer.Write("\r\n"u8);
        var hasRequestId = false;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            ref readonly var field = ref head.Field(i);
            var known = field.Known;
            if (known is KnownHeader.Host or KnownHeader.InboundPort or KnownHeader.PeerMetadata || HttpSyntax.IsHopByHop(known)
                || (known == KnownHeader.ForwardedClientCert && extra.ReplaceForwardedClientCert))
            {
                continue;
            }

            hasRequestId |= known == KnownHeader.RequestId;
            writer.Write(head.FieldBytes(i));
            writer.Write("\r\n"u8);
        }

        if (!hasRequestId)
        {
            writer.Write("x-request-id: "u8);
            writer.Guid(extra.RequestId);
            writer.Write("\r\n"u8);
        }

        if (extra.InboundPort > 0)
        {
            writer.Write("x-heddle-inbound-port: "u8);
            writer.Int(extra.InboundPort);
            writer.Write("\r\n"u8);
            if (extra.PeerMetadata is { } metadata)
            {
                writer.Write("x-heddle-peer-metadata: "u8);
                writer.Ascii(metadata);
                writer.Write("\r\n"u8);
            }
        }

        if (extra.ForwardedClientCert is { } xfcc)
        {
            writer.Write("x-forwarded-client-cert: "u8);
            writer.Ascii(xfcc);
            writer.Write("\r\n"u8);
        }

        if (extra.Close)
        {
            writer.Write("Connection: close\r\n"u8);
        }

        writer.Write("\r\n"u8);
        return writer.Written;
    }

    /// <summary>Room for what <see cref="WriteResponse"/> adds to the upstream's head.</summary>
    public static int MaxResponseLength(int upstreamHeadLength, string? peerMetadata) => upstreamHeadLength + 64 + (peerMetadata?.Length ?? 0);

    /// <summary>The relayed response head: HTTP/1.1, connection fields and the peer's metadata dropped, this proxy's
    /// metadata added for a peer sidecar that sent its own, Connection: close when the downstream connection ends.</summary>
    public static int WriteResponse(Span<byte> destination, ReadOnlySpan<byte> upstreamHead, in ResponseHead response, string? peerMetadata, bool close)
    {
        var writer = new SpanWriter(destination);
        writer.Write("HTTP/1.1"u8);
        writer.Write(upstreamHead[8..response.StatusLineLength]);
        writer.Write("\r\n"u8);
        var position = response.StatusLineLength + 2;
        while (position < response.Length - 2)
        {
            var line = upstreamHead[position..];
            line = line[..line.IndexOf("\r\n"u8)];
            var known = HttpSyntax.Classify(line[..line.IndexOf((byte)':')]);
            if (known is not (KnownHeader.Connection or KnownHeader.KeepAlive or KnownHeader.ProxyConnection or KnownHeader.PeerMetadata
                or KnownHeader.Upgrade or KnownHeader.ProxyAuthenticate))
            {
                writer.Write(line);
                writer.Write("\r\n"u8);
            }

            position += line.Length + 2;
        }

        if (peerMetadata is not null)
        {
            writer.Write("x-heddle-peer-metadata: "u8);
            writer.Ascii(peerMetadata);
            writer.Write("\r\n"u8);
        }

        if (close)
        {
            writer.Write("Connection: close\r\n"u8);
        }

        writer.Write("\r\n"u8);
        return writer.Written;
    }

    public const int MaxLocalReplyHeadLength = 256;

    /// <summary>The proxy's own answer's head (text/plain, with its length), as the general path's local replies.</summary>
    public static int WriteLocalReply(Span<byte> destination, int status, int bodyLength, bool close, DateTimeOffset now)
    {
        var writer = new SpanWriter(destination);
        writer.Write("HTTP/1.1 "u8);
        writer.Int(status);
        writer.Write((byte)' ');
        writer.Write(ReasonPhrase(status));
        writer.Write("\r\nContent-Type: text/plain\r\nDate: "u8);
        writer.Date(now);
        writer.Write("\r\nContent-Length: "u8);
        writer.Int(bodyLength);
        writer.Write("\r\n"u8);
        if (close)
        {
            writer.Write("Connection: close\r\n"u8);
        }

        writer.Write("\r\n"u8);
        return writer.Written;
    }

    private static ReadOnlySpan<byte> ReasonPhrase(int status) => status switch
    {
        200 => "OK"u8,
        400 => "Bad Request"u8,
        401 => "Unauthorized"u8,
        403 => "Forbidden"u8,
        404 => "Not Found"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        502 => "Bad Gateway"u8,
        503 => "Service Unavailable"u8,
        504 => "Gateway Timeout"u8,
        _ => ""u8,
    };

    /// <summary>Appends to a span whose size the caller computed.</summary>
    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public void Write(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_destination[Written..]);
            Written += value.Length;
        }

        public void Write(byte value) => _destination[Written++] = value;

        public void Ascii(string value) => Written += Encoding.ASCII.GetBytes(value, _destination[Written..]);

        public void Int(int value)
        {
            value.TryFormat(_destination[Written..], out var written, default, CultureInfo.InvariantCulture);
            Written += written;
        }

        public void Guid(Guid value)
        {
            value.TryFormat(_destination[Written..], out var written);
            Written += written;
        }

        public void Date(DateTimeOffset value)
        {
            value.UtcDateTime.TryFormat(_destination[Written..], out var written, "r", CultureInfo.InvariantCulture);
            Written += written;
        }
    }
}
