namespace Heddle.Proxy.Http1;

/// <summary>How a message body ends (RFC 9112 section 6).</summary>
internal enum BodyFraming
{
    None,
    ContentLength,
    Chunked,

    /// <summary>No length and not chunked: the body ends when the sender closes the connection.</summary>
    UntilClose,
}

/// <summary>
/// Follows chunked framing over the bytes as they are copied through unchanged, to know where the message ends:
/// chunk-size line (extensions ignored), data, CRLF, ..., last chunk, trailer fields, empty line. A struct kept by the
/// caller across reads; it never buffers.
/// </summary>
internal struct ChunkedScanner
{
    private const int MaxLineLength = 4096;

    private State _state;
    private long _remaining;
    private int _lineLength;
    private bool _sawDigit;

    private enum State : byte
    {
        Size,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerStart,
        TrailerLine,
        TrailerLf,
        FinalLf,
        Done,
    }

    public readonly bool IsDone => _state == State.Done;

    /// <summary>Scans <paramref name="data"/>; returns how many of its bytes belong to the message (all of them unless the
    /// message ends inside), or -1 when the framing is broken.</summary>
    public int Advance(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_state == State.Done)
            {
                return i;
            }

            if (_state == State.Data)
            {
                var take = (int)Math.Min(_remaining, data.Length - i);
                i += take;
                _remaining -= take;
                if (_remaining == 0)
                {
                    _state = State.DataCr;
                }

                continue;
            }

            var b = data[i++];
            switch (_state)
            {
                case State.Size:
                    if (HexValue(b) is var digit and >= 0)
                    {
                        if (_remaining > (long.MaxValue >> 5))
                        {
                            return -1;
                        }

                        _remaining = (_remaining << 4) | (uint)digit;
                        _sawDigit = true;
                    }
                    else if (b == (byte)'\r' && _sawDigit)
                    {
                        _state = State.SizeLf;
                    }
                    else if ((b == (byte)';' || b == (byte)' ' || b == (byte)'\t') && _sawDigit)
                    {
                        _state = State.Extension;
                        _lineLength = 0;
                    }
                    else
                    {
                        return -1;
                    }

                    break;
                case State.Extension:
                    if (b == (byte)'\r')
                    {
                        _state = State.SizeLf;
                    }
                    else if (b == (byte)'\n' || ++_lineLength > MaxLineLength)
                    {
                        return -1;
                    }

                    break;
                case State.SizeLf:
                    if (b != (byte)'\n')
                    {
                        return -1;
                    }

                    _sawDigit = false;
                    _state = _remaining == 0 ? State.TrailerStart : State.Data;
                    break;
                case State.DataCr:
                    if (b != (byte)'\r')
                    {
                        return -1;
                    }

                    _state = State.DataLf;
                    break;
                case State.DataLf:
                    if (b != (byte)'\n')
                    {
                        return -1;
                    }

                    _state = State.Size;
                    break;
                case State.TrailerStart:
                    if (b == (byte)'\r')
                    {
                        _state = State.FinalLf;
                    }
                    else if (b == (byte)'\n')
                    {
                        return -1;
                    }
                    else
                    {
                        _state = State.TrailerLine;
                        _lineLength = 1;
                    }

                    break;
                case State.TrailerLine:
                    if (b == (byte)'\r')
                    {
                        _state = State.TrailerLf;
                    }
                    else if (b == (byte)'\n' || ++_lineLength > MaxLineLength)
                    {
                        return -1;
                    }

                    break;
                case State.TrailerLf:
                    if (b != (byte)'\n')
                    {
                        return -1;
                    }

                    _state = State.TrailerStart;
                    break;
                case State.FinalLf:
                    if (b != (byte)'\n')
                    {
                        return -1;
                    }

                    _state = State.Done;
                    return i;
            }
        }

        return i;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
