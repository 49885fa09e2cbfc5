using System.Text;

namespace Heddle.Proxy.Http1;

/// <summary>What the lean path needs to know about an upstream response head.</summary>
internal struct ResponseHead
{
    public int Status;

    /// <summary>Bytes from the status line to the empty line, inclusive.</summary>
    public int Length;

    /// <summary>Length of the status line without its CRLF.</summary>
    public int StatusLineLength;

    /// <summary>-1 when absent.</summary>
    public long ContentLength;

    public bool Chunked;

    /// <summary>The upstream closes the connection after this response (Connection: close, or HTTP/1.0 without keep-alive).</summary>
    public bool ConnectionClose;

    /// <summary>The grpc-status field of a trailers-only answer, or -1.</summary>
    public int GrpcStatus;

    /// <summary>Carries the next hop's peer-metadata header.</summary>
    public bool HasPeerMetadata;

    /// <summary>Whether a response to a request with <paramref name="requestMethodHead"/> has a body at all.</summary>
    public readonly bool HasBody(bool requestMethodHead) =>
        !requestMethodHead && Status is not (204 or 304) && Status >= 200;

    /// <summary>How the body ends.</summary>
    public readonly BodyFraming Framing(bool requestMethodHead) =>
        !HasBody(requestMethodHead) ? BodyFraming.None
        : Chunked ? BodyFraming.Chunked
        : ContentLength >= 0 ? (ContentLength == 0 ? BodyFraming.None : BodyFraming.ContentLength)
        : BodyFraming.UntilClose;
}

/// <summary>Parses an upstream's HTTP/1.x response head (RFC 9112 section 4) from a flat buffer.</summary>
internal static class ResponseHeadParser
{
    /// <summary>The largest response head the lean path reads (Kestrel's and SocketsHttpHandler's order of magnitude).</summary>
    public const int MaxHeadSize = 64 * 1024;

    /// <summary>Complete, Incomplete, or BadRequest (malformed response: the upstream connection is unusable).</summary>
    public static HeadStatus Parse(ReadOnlySpan<byte> buffer, out ResponseHead head)
    {
        head = default;
        head.ContentLength = -1;
        head.GrpcStatus = -1;
        var end = buffer.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return buffer.Length > MaxHeadSize ? HeadStatus.TooLarge : HeadStatus.Incomplete;
        }

        var bytes = buffer[..(end + 4)];
        var lineEnd = bytes.IndexOf("\r\n"u8);
        var statusLine = bytes[..lineEnd];
        // "HTTP/1.1 200 OK": version, space, three digits, then an optional reason.
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[7] is not ((byte)'0' or (byte)'1')
            || statusLine[8] != (byte)' ' || (statusLine.Length > 12 && statusLine[12] != (byte)' '))
        {
            return HeadStatus.BadRequest;
        }

        var status = 0;
        for (var i = 9; i < 12; i++)
        {
            var digit = statusLine[i];
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return HeadStatus.BadRequest;
            }

            status = (status * 10) + (digit - '0');
        }

        if (status < 100)
        {
            return HeadStatus.BadRequest;
        }

        var http10 = statusLine[7] == (byte)'0';
        var keepAlive = false;
        head.Status = status;
        head.StatusLineLength = lineEnd;
        head.Length = end + 4;

        var position = lineEnd + 2;
        while (position < bytes.Length - 2)
        {
            var rest = bytes[position..];
            var length = rest.IndexOf("\r\n"u8);
            var line = rest[..length];
            var colon = line.IndexOf((byte)':');
            if (line.IsEmpty || line[0] is (byte)' ' or (byte)'\t' || line.Contains((byte)'\n') || colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
            {
                return HeadStatus.BadRequest;
            }

            var value = HttpSyntax.TrimWhitespace(line[(colon + 1)..], out _);
            if (!HttpSyntax.IsFieldValue(value))
            {
                return HeadStatus.BadRequest;
            }

            switch (HttpSyntax.Classify(line[..colon]))
            {
                case KnownHeader.ContentLength:
                    if (!HttpSyntax.TryParseLength(value, out var contentLength) || (head.ContentLength >= 0 && head.ContentLength != contentLength))
                    {
                        return HeadStatus.BadRequest;
                    }

                    head.ContentLength = contentLength;
                    break;
                case KnownHeader.TransferEncoding:
                    if (!Ascii.EqualsIgnoreCase(value, "chunked"u8))
                    {
                        // Any other coding: the body runs until the connection closes (RFC 9112 section 6.3).
                        head.ConnectionClose = true;
                    }
                    else
                    {
                        head.Chunked = true;
                    }

                    break;
                case KnownHeader.Connection:
                    head.ConnectionClose |= HttpSyntax.ListContains(value, "close"u8);
                    keepAlive |= HttpSyntax.ListContains(value, "keep-alive"u8);
                    break;
                case KnownHeader.PeerMetadata:
                    head.HasPeerMetadata = true;
                    break;
                case KnownHeader.GrpcStatus:
                    head.GrpcStatus = HttpSyntax.TryParseLength(value, out var grpcStatus) && grpcStatus < 100 ? (int)grpcStatus : -1;
                    break;
            }

            position += length + 2;
        }

        if (head.Chunked)
        {
            // Transfer-Encoding overrides Content-Length (RFC 9112 section 6.3).
            head.ContentLength = -1;
        }

        if (http10 && !keepAlive)
        {
            head.ConnectionClose = true;
        }

        return HeadStatus.Complete;
    }
}
