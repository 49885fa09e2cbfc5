using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Http1;

/// <summary>
/// One request of a lean-path connection and what the handler decided for it; one instance per downstream connection,
/// reset for each request, so a request allocates nothing here. It is the request view that
/// <see cref="RequestCompletion"/> reads.
/// </summary>
internal sealed class Http1Exchange : IRequestView, IDisposable
{
    private byte[] _upstreamRequest = ArrayPool<byte>.Shared.Rent(8192);
    private byte[] _body = [];
    private string? _authorityText;
    private ServiceTarget? _authorityService;
    private string? _peerMetadataText;
    private WorkloadPeer? _peer;
    private readonly IPEndPoint? _remote;
    private readonly IPEndPoint? _localEndPoint;
    private RequestAdapter? _adapter;

    public Http1Exchange(PipeWriter output, PeerIdentity? peer, LocalPeerFeature? local, string protocol, TimeProvider timeProvider, IPEndPoint? remote = null, IPEndPoint? localEndPoint = null)
    {
        _remote = remote;
        _localEndPoint = localEndPoint;
        Activity = new ActivityTimer(timeProvider);
        Output = output;
        Peer = peer;
        Local = local;
        Protocol = protocol;
    }

    public RequestHead Head { get; } = new();

    /// <summary>The request as an <c>HttpRequest</c> for the authorization engine (made on first use per connection).</summary>
    public RequestAdapter Adapter => _adapter ??= new RequestAdapter(_remote, _localEndPoint);

    /// <summary>The upstream activity timeout of this connection's requests.</summary>
    public ActivityTimer Activity { get; }

    /// <summary>The length of the forwarded head at the start of <see cref="UpstreamRequest"/>.</summary>
    public int UpstreamHeadLength { get; set; }

    public PipeWriter Output { get; }

    /// <summary>The verified peer of a mutual-TLS connection (inbound), or null.</summary>
    public PeerIdentity? Peer { get; }

    public LocalPeerFeature? Local { get; }

    /// <summary>"HTTP/1.1", as the access log shows it.</summary>
    public string Protocol { get; }

    public long Started { get; set; }

    public ProxySnapshot Snapshot { get; set; } = ProxySnapshot.Empty;

    // Outbound decision.
    public CompiledRoute? Route { get; set; }

    public UpstreamCluster? Cluster { get; set; }

    public UpstreamEndpoint? Endpoint { get; set; }

    // Inbound decision.
    public InboundTarget? Target { get; set; }

    /// <summary>The request's body length (Content-Length; 0 without a body).</summary>
    public long RequestBytes { get; set; }

    public int StatusCode { get; set; }

    public long ResponseBytes { get; set; }

    /// <summary>Some response bytes reached the client: a failure can no longer be answered.</summary>
    public bool ResponseStarted { get; set; }

    /// <summary>The downstream connection must close after this exchange.</summary>
    public bool CloseAfter { get; set; }

    public bool MutualTls => Peer is not null;

    /// <summary>The request forwarded upstream: head and body, built once and replayed on retries.</summary>
    public Memory<byte> UpstreamRequest => _upstreamRequest.AsMemory(0, UpstreamRequestLength);

    public int UpstreamRequestLength { get; set; }

    public bool IsHead => ReferenceEquals(Head.Method, "HEAD");

    /// <summary>The request body (at most <see cref="Forwarding.RequestBodyBuffer.Limit"/> bytes), kept for retries.</summary>
    public ReadOnlyMemory<byte> Body => _body.AsMemory(0, (int)RequestBytes);

    /// <summary>Copies the request's body out of the connection's buffer.</summary>
    public void SetBody(in ReadOnlySequence<byte> body)
    {
        var length = (int)body.Length;
        if (_body.Length < length)
        {
            if (_body.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_body);
            }

            _body = ArrayPool<byte>.Shared.Rent(length);
        }

        body.CopyTo(_body);
        RequestBytes = length;
    }

    /// <summary>Writes the request the next hop gets (the head with <paramref name="extra"/>, then the buffered body)
    /// into the upstream buffer.</summary>
    public void WriteUpstreamRequest(in ForwardedHeaders extra)
    {
        var body = Body;
        var buffer = UpstreamBuffer(HeadWriter.MaxRequestLength(Head, extra) + body.Length);
        var written = HeadWriter.WriteRequest(buffer, Head, extra);
        body.Span.CopyTo(buffer.AsSpan(written));
        UpstreamHeadLength = written;
        UpstreamRequestLength = written + body.Length;
    }

    /// <summary>A buffer of at least <paramref name="size"/> bytes for the upstream request.</summary>
    private byte[] UpstreamBuffer(int size)
    {
        if (_upstreamRequest.Length < size)
        {
            ArrayPool<byte>.Shared.Return(_upstreamRequest);
            _upstreamRequest = ArrayPool<byte>.Shared.Rent(size);
        }

        return _upstreamRequest;
    }

    public void Reset(long started, ProxySnapshot snapshot)
    {
        Started = started;
        Snapshot = snapshot;
        Route = null;
        Cluster = null;
        Endpoint = null;
        Target = null;
        RequestBytes = 0;
        StatusCode = 0;
        ResponseBytes = 0;
        ResponseStarted = false;
        CloseAfter = false;
        UpstreamRequestLength = 0;
        RequestId = Guid.Empty;
        Activity.SetRouteTimeout(TimeSpan.Zero);
    }

    public ServiceTarget InboundService(MeshTelemetry telemetry)
    {
        var authority = Head.Authority;
        if (_authorityService is null || !authority.SequenceEqual(_authorityText))
        {
            _authorityText = new string(authority);
            _authorityService = telemetry.FromInboundAuthority(_authorityText);
        }

        return _authorityService;
    }

    public WorkloadPeer SourcePeer(MeshTelemetry telemetry)
    {
        var index = Head.Find(KnownHeader.PeerMetadata);
        var value = index < 0 ? [] : Head.Value(index);
        if (_peer is null || !value.SequenceEqual(_peerMetadataText))
        {
            _peerMetadataText = new string(value);
            _peer = telemetry.Peers.Resolve(_peerMetadataText);
        }

        return _peer;
    }

    public AccessLogEntry LogEntry(DateTimeOffset start, long durationMs, int status, ResponseFlags flags, string? upstreamHost, string? cluster, string? route)
    {
        var head = Head;
        return new AccessLogEntry(
            start,
            head.Method ?? new string(head.Slice(head.MethodSegment)),
            new string(head.PathChars),
            head.Query.Length > 0 ? new string(head.QueryChars) : null,
            Protocol,
            status,
            flags,
            RequestBytes,
            ResponseBytes,
            durationMs,
            head.ValueString(KnownHeader.ForwardedFor) ?? "",
            head.ValueString(KnownHeader.UserAgent) ?? "",
            head.ValueString(KnownHeader.RequestId) ?? GeneratedRequestId ?? "",
            new string(head.Authority),
            upstreamHost,
            cluster,
            route,
            head.ValueString(KnownHeader.TraceParent) ?? "");
    }

    /// <summary>The x-request-id the proxy added, when the client sent none.</summary>
    public Guid RequestId { get; set; }

    private string? GeneratedRequestId => RequestId == Guid.Empty ? null : RequestId.ToString();

    public void Dispose()
    {
        Activity.Dispose();
        Head.Dispose();
        ArrayPool<byte>.Shared.Return(_upstreamRequest);
        _upstreamRequest = [];
        if (_body.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_body);
            _body = [];
        }
    }
}
