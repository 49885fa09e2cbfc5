using System.Buffers;
using System.Text;

namespace Heddle.Proxy.Http1;

/// <summary>What reading a request head from the connection's bytes gave.</summary>
internal enum HeadStatus
{
    /// <summary>The head is not complete yet: read more.</summary>
    Incomplete,

    Complete,

    /// <summary>Malformed: answer 400 and close.</summary>
    BadRequest,

    /// <summary>Over <see cref="RequestHead.MaxHeadSize"/> or <see cref="RequestHead.MaxHeaders"/>: answer 431 and close.</summary>
    TooLarge,
}

/// <summary>
/// Parses an HTTP/1.1 request head (RFC 9112) from a connection's buffered bytes into a <see cref="RequestHead"/>:
/// strict about syntax (obs-fold, bare LF, control characters and whitespace before the colon are errors), and
/// marks what only the general path serves rather than rejecting it.
/// </summary>
internal static class RequestHeadParser
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Finds and parses the head at the start of <paramref name="buffer"/>; <paramref name="headLength"/> is its
    /// length including the empty line.</summary>
    public static HeadStatus Parse(in ReadOnlySequence<byte> buffer, RequestHead head, out int headLength)
    {
        headLength = 0;
        int end;
        if (buffer.IsSingleSegment)
        {
            var span = buffer.FirstSpan;
            end = span.IndexOf(HeadEnd);
            if (end < 0)
            {
                return span.Length > RequestHead.MaxHeadSize ? HeadStatus.TooLarge : HeadStatus.Incomplete;
            }

            if (end + 4 > RequestHead.MaxHeadSize)
            {
                return HeadStatus.TooLarge;
            }

            head.Load(span[..(end + 4)]);
        }
        else
        {
            var reader = new SequenceReader<byte>(buffer);
            if (!reader.TryReadTo(out ReadOnlySequence<byte> before, HeadEnd, advancePastDelimiter: true))
            {
                return buffer.Length > RequestHead.MaxHeadSize ? HeadStatus.TooLarge : HeadStatus.Incomplete;
            }

            end = (int)Math.Min(before.Length, int.MaxValue - 4);
            if (end + 4 > RequestHead.MaxHeadSize)
            {
                return HeadStatus.TooLarge;
            }

            Span<byte> copy = stackalloc byte[end + 4];
            buffer.Slice(0, end + 4).CopyTo(copy);
            head.Load(copy);
        }

        headLength = end + 4;
        return ParseLoaded(head);
    }

    /// <summary>Indexes the head already copied into <paramref name="head"/>.</summary>
    private static HeadStatus ParseLoaded(RequestHead head)
    {
        var bytes = head.Bytes;
        var lineEnd = bytes.IndexOf("\r\n"u8);
        if (lineEnd <= 0 || !ParseRequestLine(head, bytes[..lineEnd]))
        {
            return HeadStatus.BadRequest;
        }

        var position = lineEnd + 2;
        var contentLengthSeen = false;
        // The head ends with the empty line: the last field line ends 2 bytes before the end.
        while (position < bytes.Length - 2)
        {
            var rest = bytes[position..];
            var length = rest.IndexOf("\r\n"u8);
            var line = rest[..length];
            if (line.IsEmpty || line[0] is (byte)' ' or (byte)'\t' || line.Contains((byte)'\n'))
            {
                // obs-fold (a continuation line) and bare LF are rejected, as RFC 9112 allows.
                return HeadStatus.BadRequest;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
            {
                return HeadStatus.BadRequest;
            }

            var value = HttpSyntax.TrimWhitespace(line[(colon + 1)..], out var leading);
            if (!HttpSyntax.IsFieldValue(value))
            {
                return HeadStatus.BadRequest;
            }

            var known = HttpSyntax.Classify(line[..colon]);
            var field = new HeaderField(
                new Segment(position, length),
                new Segment(position, colon),
                new Segment(position + colon + 1 + leading, value.Length),
                known);
            if (!head.Add(field))
            {
                return HeadStatus.TooLarge;
            }

            if (!Interpret(head, known, value, ref contentLengthSeen))
            {
                return HeadStatus.BadRequest;
            }

            position += length + 2;
        }

        if (head.Chunked && head.ContentLength >= 0)
        {
            // Both framings: a request smuggling attempt or a broken client.
            return HeadStatus.BadRequest;
        }

        if (!head.AbsoluteForm && head.HostIndex < 0 && !head.Http10)
        {
            // HTTP/1.1 requires Host; Kestrel answers this one.
            head.NeedsGeneralPath = true;
        }

        return HeadStatus.Complete;
    }

    /// <summary>Applies what a recognised field means for framing and for the choice of path.</summary>
    private static bool Interpret(RequestHead head, KnownHeader known, ReadOnlySpan<byte> value, ref bool contentLengthSeen)
    {
        switch (known)
        {
            case KnownHeader.Host:
                if (head.HostIndex >= 0)
                {
                    head.NeedsGeneralPath = true;
                }
                else
                {
                    head.HostIndex = head.HeaderCount - 1;
                }

                break;
            case KnownHeader.ContentLength:
                if (!HttpSyntax.TryParseLength(value, out var length) || (contentLengthSeen && length != head.ContentLength))
                {
                    return false;
                }

                contentLengthSeen = true;
                head.ContentLength = length;
                break;
            case KnownHeader.TransferEncoding:
                if (Ascii.EqualsIgnoreCase(value, "chunked"u8) && !head.Chunked)
                {
                    head.Chunked = true;
                }
                else
                {
                    head.NeedsGeneralPath = true;
                }

                break;
            case KnownHeader.Connection:
                if (HttpSyntax.ListContains(value, "close"u8))
                {
                    head.ConnectionClose = true;
                }

                if (HttpSyntax.ListContains(value, "upgrade"u8))
                {
                    head.NeedsGeneralPath = true;
                }

                break;
            case KnownHeader.Upgrade or KnownHeader.Expect or KnownHeader.Http2Settings:
                head.NeedsGeneralPath = true;
                break;
            case KnownHeader.ContentType:
                if (value.Length >= 16 && Ascii.EqualsIgnoreCase(value[..16], "application/grpc"u8))
                {
                    head.NeedsGeneralPath = true;
                }

                break;
        }

        return true;
    }

    private static bool ParseRequestLine(RequestHead head, ReadOnlySpan<byte> line)
    {
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0 || !HttpSyntax.IsToken(line[..firstSpace]))
        {
            return false;
        }

        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
        {
            return false;
        }

        var target = rest[..secondSpace];
        var version = rest[(secondSpace + 1)..];
        if (!HttpSyntax.IsTarget(target))
        {
            return false;
        }

        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            head.Http10 = false;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            head.Http10 = true;
            head.NeedsGeneralPath = true;
        }
        else
        {
            return false;
        }

        head.MethodSegment = new Segment(0, firstSpace);
        head.Method = KnownMethod(line[..firstSpace]);
        if (head.Method is null)
        {
            head.NeedsGeneralPath = true;
        }

        var targetStart = firstSpace + 1;
        head.Target = new Segment(targetStart, target.Length);
        return ParseTarget(head, target, targetStart);
    }

    /// <summary>Origin-form ("/path?query") or absolute-form ("http://authority/path?query"); anything else is left to
    /// the general path. A path that Kestrel would percent-decode or dot-normalise is too, so that routing sees the
    /// same path on both paths.</summary>
    private static bool ParseTarget(RequestHead head, ReadOnlySpan<byte> target, int targetStart)
    {
        var pathStart = 0;
        if (target[0] != (byte)'/')
        {
            if (target.Length > 7 && Ascii.EqualsIgnoreCase(target[..7], "http://"u8))
            {
                var authority = target[7..];
                var slash = authority.IndexOfAny((byte)'/', (byte)'?');
                var authorityLength = slash < 0 ? authority.Length : slash;
                if (authorityLength == 0 || authority[..authorityLength].Contains((byte)'@'))
                {
                    head.NeedsGeneralPath = true;
                    return true;
                }

                head.AbsoluteForm = true;
                head.TargetAuthority = new Segment(targetStart + 7, authorityLength);
                pathStart = 7 + authorityLength;
                if (slash < 0 || authority[slash] == (byte)'?')
                {
                    // "http://host" and "http://host?q" have the path "/", which must then be written out.
                    head.NeedsGeneralPath = true;
                    return true;
                }
            }
            else
            {
                // "*", authority-form outside CONNECT, https:// targets.
                head.NeedsGeneralPath = true;
                return true;
            }
        }

        var pathAndQuery = target[pathStart..];
        var question = pathAndQuery.IndexOf((byte)'?');
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        head.Path = new Segment(targetStart + pathStart, path.Length);
        head.Query = question < 0 ? new Segment(targetStart + target.Length, 0) : new Segment(targetStart + pathStart + question, pathAndQuery.Length - question);
        if (path.Contains((byte)'%') || HasDotSegment(path) || pathAndQuery.Contains((byte)'#'))
        {
            head.NeedsGeneralPath = true;
        }

        return true;
    }

    private static bool HasDotSegment(ReadOnlySpan<byte> path) =>
        path.IndexOf("/."u8) >= 0
        && (path.IndexOf("/./"u8) >= 0 || path.IndexOf("/../"u8) >= 0 || path.EndsWith("/."u8) || path.EndsWith("/.."u8));

    private static string? KnownMethod(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => "GET",
        3 when method.SequenceEqual("PUT"u8) => "PUT",
        4 when method.SequenceEqual("POST"u8) => "POST",
        4 when method.SequenceEqual("HEAD"u8) => "HEAD",
        5 when method.SequenceEqual("PATCH"u8) => "PATCH",
        6 when method.SequenceEqual("DELETE"u8) => "DELETE",
        7 when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ => null,
    };
}
