using System.Buffers;
using System.IO.Pipelines;

namespace Heddle.Proxy.Listeners;

/// <summary>What the first bytes of a connection are.</summary>
internal enum SniffResult
{
    Http1,
    Http2,
    Connect,
    Other,
    Closed,

    /// <summary>A TLS handshake (a record of content type 22).</summary>
    Tls,
}

/// <summary>Looks at the first bytes of a connection without consuming them, so that the HTTP server still reads them.</summary>
internal static class ProtocolSniffer
{
    /// <summary>The HTTP/2 client connection preface (RFC 9113, section 3.4).</summary>
    public static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private static ReadOnlySpan<byte> ConnectMethod => "CONNECT "u8;

    private const int MaxMethodLength = 20;

    /// <summary>The first byte of a TLS record carrying a handshake message (RFC 8446, section 5.1).</summary>
    public const byte TlsHandshakeRecord = 0x16;

    public static async ValueTask<SniffResult> SniffAsync(PipeReader input, bool allowConnect, CancellationToken cancellationToken, bool allowTls = false)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var decision = allowTls && !buffer.IsEmpty && buffer.FirstSpan[0] == TlsHandshakeRecord ? SniffResult.Tls : Classify(buffer, allowConnect);
            if (decision is not null)
            {
                input.AdvanceTo(buffer.Start);
                return decision.Value;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                return buffer.IsEmpty ? SniffResult.Closed : SniffResult.Other;
            }

            // Keep every byte, but wait for more before looking again.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The verdict on the bytes so far, or null when more bytes are needed.</summary>
    public static SniffResult? Classify(in ReadOnlySequence<byte> buffer, bool allowConnect)
    {
        if (buffer.IsEmpty)
        {
            return null;
        }

        Span<byte> head = stackalloc byte[24];
        var length = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, length).CopyTo(head);
        head = head[..length];

        var preface = Http2Preface;
        if (head.SequenceEqual(preface[..length]))
        {
            return length == preface.Length ? SniffResult.Http2 : null;
        }

        if (allowConnect)
        {
            var connect = ConnectMethod;
            var compared = Math.Min(length, connect.Length);
            if (head[..compared].SequenceEqual(connect[..compared]))
            {
                return compared == connect.Length ? SniffResult.Connect : null;
            }
        }

        // An HTTP/1 request line starts with a method token made of upper-case letters, then a space.
        for (var i = 0; i < length; i++)
        {
            var b = head[i];
            if (b == (byte)' ')
            {
                return i > 0 ? SniffResult.Http1 : SniffResult.Other;
            }

            if (b is < (byte)'A' or > (byte)'Z' && b != (byte)'-' && b != (byte)'_')
            {
                return SniffResult.Other;
            }

            if (i >= MaxMethodLength)
            {
                return SniffResult.Other;
            }
        }

        return length < head.Length || buffer.Length <= MaxMethodLength ? null : SniffResult.Other;
    }
}
