using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Heddle.Proxy.Listeners;

/// <summary>Reads and consumes the head of a <c>CONNECT host:port HTTP/1.1</c> request; the tunnel's bytes follow it.</summary>
internal static class ConnectRequestReader
{
    public const int MaxHeadLength = 16 * 1024;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>The authority ("host:port") the client wants a tunnel to, or null with a reason.</summary>
    public static async ValueTask<(string? Authority, string? Error)> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (authority, error, consumed) = TryParse(buffer);
            if (consumed is { } end)
            {
                input.AdvanceTo(end);
                return (authority, error);
            }

            if (buffer.Length > MaxHeadLength)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                return (null, "CONNECT request head is too long");
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                return (null, "connection closed inside the CONNECT request head");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Parses a complete head; <c>Consumed</c> is null while the head is incomplete.</summary>
    public static (string? Authority, string? Error, SequencePosition? Consumed) TryParse(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead, advancePastDelimiter: true))
        {
            return (null, null, null);
        }

        var headReader = new SequenceReader<byte>(head);
        if (!headReader.TryReadTo(out ReadOnlySequence<byte> requestLine, "\r\n"u8))
        {
            requestLine = head;
        }

        if (requestLine.Length > MaxHeadLength)
        {
            return (null, "CONNECT request line is too long", reader.Position);
        }

        var line = Encoding.ASCII.GetString(requestLine);
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] != "CONNECT" || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return (null, $"malformed CONNECT request line '{line}'", reader.Position);
        }

        var authority = parts[1];
        if (!IsAuthorityWithPort(authority))
        {
            return (null, $"CONNECT target '{authority}' is not host:port", reader.Position);
        }

        return (authority, null, reader.Position);
    }

    private static bool IsAuthorityWithPort(string authority)
    {
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || (authority[0] == '[' && authority[colon - 1] != ']'))
        {
            return false;
        }

        return int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }
}
