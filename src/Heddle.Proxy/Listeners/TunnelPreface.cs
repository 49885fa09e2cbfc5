using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Heddle.Discovery;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// The few bytes that open a TCP tunnel between two sidecars, before the relayed stream. The client sidecar sends an
/// HTTP/1.1 CONNECT head naming the service and the application port, with its workload's metadata:
/// <code>
/// CONNECT tcp-echo.foo.svc.cluster.local:9000 HTTP/1.1
/// x-heddle-inbound-port: 9000
/// x-heddle-peer-metadata: workload=sleep;namespace=foo;...
/// </code>
/// and the server sidecar answers <c>HTTP/1.1 200 OK</c> with its own metadata once the application port is
/// connected, or another status (403 denied, 503 application unreachable, 400/404 bad preface) and closes. The bytes
/// after the blank lines are the application's.
/// </summary>
internal static class TunnelPreface
{
    public const int MaxHeadLength = 16 * 1024;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>The client sidecar's head.</summary>
    public static byte[] Request(string authority, int port, string peerMetadata) => Encoding.ASCII.GetBytes(
        "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
        + MeshHeaders.InboundPort + ": " + port.ToString(CultureInfo.InvariantCulture) + "\r\n"
        + MeshHeaders.PeerMetadata + ": " + peerMetadata + "\r\n\r\n");

    /// <summary>The server sidecar's answer.</summary>
    public static byte[] Response(int status, string? peerMetadata) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 " + status.ToString(CultureInfo.InvariantCulture) + " " + Reason(status) + "\r\n"
        + (peerMetadata is null ? "" : MeshHeaders.PeerMetadata + ": " + peerMetadata + "\r\n")
        + (status == 200 ? "" : "Connection: close\r\n")
        + "\r\n");

    /// <summary>Reads and consumes the client sidecar's head; null with a reason when it is not one.</summary>
    public static async ValueTask<(TunnelRequest? Request, string? Error)> ReadRequestAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (request, error, consumed) = TryParseRequest(buffer);
            if (consumed is { } end)
            {
                input.AdvanceTo(end);
                return (request, error);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (buffer.Length > MaxHeadLength)
            {
                return (null, "tunnel request head is too long");
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return (null, "connection closed inside the tunnel request head");
            }
        }
    }

    /// <summary>Reads and consumes the server sidecar's answer: its status (0: none or malformed) and metadata.</summary>
    public static async ValueTask<(int Status, string? PeerMetadata)> ReadResponseAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (status, metadata, consumed) = TryParseResponse(buffer);
            if (consumed is { } end)
            {
                input.AdvanceTo(end);
                return (status, metadata);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (buffer.Length > MaxHeadLength || result.IsCompleted || result.IsCanceled)
            {
                return (0, null);
            }
        }
    }

    /// <summary>Parses a complete request head; <c>Consumed</c> is null while the head is incomplete.</summary>
    public static (TunnelRequest? Request, string? Error, SequencePosition? Consumed) TryParseRequest(in ReadOnlySequence<byte> buffer)
    {
        if (!TryReadHead(buffer, out var lines, out var consumed))
        {
            return (null, null, null);
        }

        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0] != "CONNECT" || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return (null, "malformed tunnel request line '" + lines[0] + "'", consumed);
        }

        var portText = Header(lines, MeshHeaders.InboundPort);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
        {
            return (null, "tunnel request without a valid " + MeshHeaders.InboundPort + " header", consumed);
        }

        return (new TunnelRequest(parts[1], port, Header(lines, MeshHeaders.PeerMetadata)), null, consumed);
    }

    /// <summary>Parses a complete response head: the status (0 when malformed) and the peer's metadata.</summary>
    public static (int Status, string? PeerMetadata, SequencePosition? Consumed) TryParseResponse(in ReadOnlySequence<byte> buffer)
    {
        if (!TryReadHead(buffer, out var lines, out var consumed))
        {
            return (0, null, null);
        }

        var parts = lines[0].Split(' ', 3);
        var status = parts.Length >= 2 && parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 999
                ? code
                : 0;
        return (status, Header(lines, MeshHeaders.PeerMetadata), consumed);
    }

    private static bool TryReadHead(in ReadOnlySequence<byte> buffer, out string[] lines, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead, advancePastDelimiter: true))
        {
            lines = [];
            consumed = default;
            return false;
        }

        lines = Encoding.ASCII.GetString(head).Split("\r\n");
        consumed = reader.Position;
        return true;
    }

    private static string? Header(string[] lines, string name)
    {
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Error",
    };
}

/// <summary>What a tunnel's client sidecar asked for: the service authority it meant, the application port and who it is.</summary>
internal sealed record TunnelRequest(string Authority, int Port, string? PeerMetadata);
