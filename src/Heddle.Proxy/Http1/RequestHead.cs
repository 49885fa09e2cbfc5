using System.Buffers;
using System.Text;

namespace Heddle.Proxy.Http1;

/// <summary>
/// The head of one HTTP/1.1 request, copied out of the connection's pipe and indexed by <see cref="RequestHeadParser"/>.
/// One instance per downstream connection, reused for each request; its buffers are pooled. The head is kept twice:
/// as bytes (copied to the next hop as they came) and widened to chars (Latin-1, one char per byte, so the offsets
/// agree) for route matching and authorization, which compare strings without allocating.
/// </summary>
internal sealed class RequestHead : IDisposable
{
    /// <summary>Kestrel's limits: 32 KB of head and 100 header fields; larger heads get 431.</summary>
    public const int MaxHeadSize = 32 * 1024;

    public const int MaxHeaders = 100;

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(4096);
    private char[] _chars = ArrayPool<char>.Shared.Rent(4096);
    private HeaderField[] _fields = new HeaderField[32];

    /// <summary>The head's bytes, request line to the empty line.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, Length);

    public int Length { get; private set; }

    public int HeaderCount { get; private set; }

    public Segment MethodSegment { get; internal set; }

    /// <summary>The method as one of the shared method strings; null for a method the lean path does not take.</summary>
    public string? Method { get; internal set; }

    /// <summary>The request target as sent (absolute-form included).</summary>
    public Segment Target { get; internal set; }

    /// <summary>The path, without the query ("/" is never empty here).</summary>
    public Segment Path { get; internal set; }

    /// <summary>The query with its leading '?', or empty.</summary>
    public Segment Query { get; internal set; }

    /// <summary>The authority of an absolute-form target ("http://host:port/..."); empty for origin-form.</summary>
    public Segment TargetAuthority { get; internal set; }

    public bool AbsoluteForm { get; internal set; }

    /// <summary>HTTP/1.0 rather than HTTP/1.1.</summary>
    public bool Http10 { get; internal set; }

    /// <summary>Index of the Host field, -1 when absent.</summary>
    public int HostIndex { get; internal set; }

    /// <summary>-1 when absent.</summary>
    public long ContentLength { get; internal set; }

    public bool Chunked { get; internal set; }

    /// <summary>Connection: close (or HTTP/1.0 without keep-alive).</summary>
    public bool ConnectionClose { get; internal set; }

    /// <summary>Something only the general path handles: Upgrade, Expect, a transfer coding other than chunked,
    /// a gRPC body, a path Kestrel would normalise or decode, several Host fields, an unusual target form.</summary>
    public bool NeedsGeneralPath { get; internal set; }

    /// <summary>The authority the request is for: the absolute-form target's, else the Host field's.</summary>
    public ReadOnlySpan<char> Authority =>
        AbsoluteForm ? Slice(TargetAuthority) : HostIndex >= 0 ? Value(HostIndex) : default;

    public ReadOnlySpan<char> PathChars => Slice(Path);

    public ReadOnlySpan<char> QueryChars => Slice(Query);

    public ref readonly HeaderField Field(int index) => ref _fields[index];

    public ReadOnlySpan<char> Name(int index) => Slice(_fields[index].Name);

    public ReadOnlySpan<char> Value(int index) => Slice(_fields[index].Value);

    public ReadOnlySpan<byte> FieldBytes(int index) => _bytes.AsSpan(_fields[index].Line.Start, _fields[index].Line.Length);

    public ReadOnlySpan<char> Slice(Segment segment) => _chars.AsSpan(segment.Start, segment.Length);

    public ReadOnlySpan<byte> SliceBytes(Segment segment) => _bytes.AsSpan(segment.Start, segment.Length);

    /// <summary>The first field called <paramref name="name"/> (case-insensitive) at or after <paramref name="from"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> name, int from = 0)
    {
        for (var i = from; i < HeaderCount; i++)
        {
            ref readonly var field = ref _fields[i];
            if (field.Name.Length == name.Length && Slice(field.Name).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first field of a kind the parser recognised, or -1.</summary>
    public int Find(KnownHeader known, int from = 0)
    {
        for (var i = from; i < HeaderCount; i++)
        {
            if (_fields[i].Known == known)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A field's value as a string (for the access log and the few engines that keep strings).</summary>
    public string? ValueString(KnownHeader known)
    {
        var index = Find(known);
        return index < 0 ? null : new string(Value(index));
    }

    /// <summary>Copies the head into the instance's buffers and widens it; resets the index.</summary>
    internal void Load(ReadOnlySpan<byte> head)
    {
        if (_bytes.Length < head.Length)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(head.Length);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(head.Length);
        }

        head.CopyTo(_bytes);
        Latin1.GetChars(head, _chars);
        Length = head.Length;
        HeaderCount = 0;
        HostIndex = -1;
        ContentLength = -1;
        Chunked = false;
        ConnectionClose = false;
        NeedsGeneralPath = false;
        AbsoluteForm = false;
        Http10 = false;
        Method = null;
        Target = Path = Query = TargetAuthority = MethodSegment = default;
    }

    /// <summary>Adds a field; false when the head has too many.</summary>
    internal bool Add(in HeaderField field)
    {
        if (HeaderCount == _fields.Length)
        {
            if (HeaderCount >= MaxHeaders)
            {
                return false;
            }

            Array.Resize(ref _fields, Math.Min(_fields.Length * 2, MaxHeaders));
        }

        _fields[HeaderCount++] = field;
        return true;
    }

    internal byte[] RawBuffer => _bytes;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(_chars);
        _bytes = [];
        _chars = [];
    }

    private static readonly Encoding Latin1 = Encoding.Latin1;
}

/// <summary>A span of the head: offset and length.</summary>
internal readonly record struct Segment(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>One header field: the whole line (name to CRLF), its name and its trimmed value.</summary>
internal readonly record struct HeaderField(Segment Line, Segment Name, Segment Value, KnownHeader Known);

/// <summary>The header fields the lean path acts on.</summary>
internal enum KnownHeader : byte
{
    None,
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    KeepAlive,
    ProxyConnection,
    Upgrade,
    Expect,
    ContentType,
    Te,
    Trailer,
    ProxyAuthorization,
    ProxyAuthenticate,
    Http2Settings,
    InboundPort,
    PeerMetadata,
    RequestId,
    ForwardedClientCert,
    UserAgent,
    ForwardedFor,
    TraceParent,
    Authorization,
    GrpcStatus,
}
