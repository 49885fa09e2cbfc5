using System.Buffers;
using System.Buffers.Binary;

namespace Heddle.Proxy.Links;

/// <summary>What a frame on a sidecar link says.</summary>
internal enum LinkFrameType : byte
{
    /// <summary>Bytes of one stream, in order.</summary>
    Data = 0,

    /// <summary>The client opens a stream (its id is new and larger than every earlier one).</summary>
    Open = 1,

    /// <summary>The sender is done with the stream: it sends nothing more and drops what still arrives.</summary>
    Close = 2,

    /// <summary>The receiver consumed this many more bytes of the stream (4-byte payload): the sender may send them.</summary>
    Window = 3,

    /// <summary>The server opens no more streams on this link; the ones open finish.</summary>
    GoAway = 4,
}

/// <summary>
/// The framing of a sidecar link: a 9-byte header (payload length: 4 bytes, type: 1 byte, stream id: 4 bytes, all
/// big-endian) and the payload. Data payloads are at most <see cref="MaxPayload"/> bytes.
/// </summary>
internal static class LinkFrame
{
    public const int HeaderSize = 9;

    public const int MaxPayload = 16 * 1024;

    public static void WriteHeader(Span<byte> destination, LinkFrameType type, uint stream, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        destination[4] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], stream);
    }

    /// <summary>The first complete frame of <paramref name="buffer"/>: false when it is not all there yet; throws
    /// <see cref="InvalidDataException"/> on a frame this side will never accept.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out LinkFrameType type, out uint stream, out ReadOnlySequence<byte> payload)
    {
        type = default;
        stream = 0;
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        type = (LinkFrameType)header[4];
        stream = BinaryPrimitives.ReadUInt32BigEndian(header[5..]);
        if (length < 0 || length > MaxPayload || type > LinkFrameType.GoAway)
        {
            throw new InvalidDataException($"sidecar link: bad frame (type {(byte)type}, length {length})");
        }

        if (buffer.Length < HeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(HeaderSize + length);
        return true;
    }
}
