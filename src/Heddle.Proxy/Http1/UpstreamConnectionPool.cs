using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Security;
using Heddle.Proxy.Sockets;

namespace Heddle.Proxy.Http1;

/// <summary>
/// The lean path's upstream connections: per next hop ("host:port") a bounded LIFO stack of idle kept-alive HTTP/1.1
/// connections. LIFO keeps few connections warm; connections idle longer than the idle timeout are closed when met.
/// TLS follows the cluster's settings for the hop (<see cref="UpstreamTls"/>), negotiated with ALPN http/1.1.
/// </summary>
internal sealed class UpstreamConnectionPool(SnapshotStore store, UpstreamTls? tls, TimeProvider timeProvider) : IAsyncDisposable
{
    /// <summary>Idle connections kept per next hop; more are closed when they are returned.</summary>
    public const int MaxIdlePerHop = 256;

    private readonly ConcurrentDictionary<string, HopPool> _hops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HopPool> _plaintextHops = new(StringComparer.Ordinal);

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>The pool of one next hop ("ip:port" or "name:port").</summary>
    public HopPool For(string hop) =>
        _hops.TryGetValue(hop, out var pool) ? pool : _hops.GetOrAdd(hop, static (key, owner) => new HopPool(key, owner, plaintext: false), this);

    /// <summary>The pool of one next hop; <paramref name="plaintext"/>: connections that never use TLS, kept apart
    /// from the hop's TLS connections (<see cref="Upstreams.UpstreamEndpoint.Plaintext"/>).</summary>
    public HopPool For(string hop, bool plaintext) => plaintext ? _plaintextHops.TryGetValue(hop, out var pool)
            ? pool
            : _plaintextHops.GetOrAdd(hop, static (key, owner) => new HopPool(key, owner, plaintext: true), this)
        : For(hop);

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _hops.Values.Concat(_plaintextHops.Values))
        {
            await pool.CloseIdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The connections to one next hop.</summary>
    internal sealed class HopPool
    {
        private readonly UpstreamConnectionPool _owner;
        private readonly UpstreamConnection?[] _idle = new UpstreamConnection?[MaxIdlePerHop];
        private readonly EndPoint _endPoint;
        private readonly DnsEndPoint _tlsName;
        private int _count;
        private ProxySnapshot? _tlsSnapshot;
        private ClientTls? _tlsForSnapshot;

        private readonly bool _plaintext;

        public HopPool(string hop, UpstreamConnectionPool owner, bool plaintext)
        {
            _plaintext = plaintext;
            Hop = hop;
            _owner = owner;
            var colon = hop.LastIndexOf(':');
            var host = hop[..colon].Trim('[', ']');
            var port = int.Parse(hop.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
            _endPoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
            _tlsName = new DnsEndPoint(host, port);
        }

        public string Hop { get; }

        public int IdleCount => Volatile.Read(ref _count);

        /// <summary>The TLS the next hop wants under the current snapshot (null: plaintext); looked up once per snapshot.</summary>
        public ClientTls? CurrentTls()
        {
            if (_plaintext || _owner.Tls is not { } tls)
            {
                return null;
            }

            var snapshot = _owner.Store.Current;
            if (!ReferenceEquals(Volatile.Read(ref _tlsSnapshot), snapshot))
            {
                _tlsForSnapshot = tls.Find(_tlsName);
                Volatile.Write(ref _tlsSnapshot, snapshot);
            }

            return _tlsForSnapshot;
        }

        /// <summary>The most recently returned idle connection that is still usable, or null.</summary>
        public UpstreamConnection? TryRent(ClientTls? wanted, TimeSpan idleTimeout)
        {
            var now = _owner.TimeProvider.GetTimestamp();
            while (true)
            {
                UpstreamConnection? connection;
                lock (_idle)
                {
                    if (_count == 0)
                    {
                        return null;
                    }

                    connection = _idle[--_count];
                    _idle[_count] = null;
                }

                if (!ClientTls.SameRequirements(connection!.Tls, wanted) || _owner.TimeProvider.GetElapsedTime(connection.IdleSince, now) > idleTimeout)
                {
                    _ = connection.DisposeAsync();
                    continue;
                }

                return connection;
            }
        }

        /// <summary>Keeps a connection whose last response ended cleanly; closes it when the pool is full.</summary>
        public void Return(UpstreamConnection connection)
        {
            connection.IdleSince = _owner.TimeProvider.GetTimestamp();
            lock (_idle)
            {
                if (_count < _idle.Length)
                {
                    _idle[_count++] = connection;
                    return;
                }
            }

            _ = connection.DisposeAsync();
        }

        /// <summary>Opens a connection (TLS when <paramref name="wanted"/> says so); null when it cannot be opened in time.</summary>
        public async ValueTask<UpstreamConnection?> ConnectAsync(ClientTls? wanted, TimeSpan connectTimeout)
        {
            // Only the connect timeout bounds opening: a connection opened for a client that left is pooled for the next one.
            using var timeout = new CancellationTokenSource(connectTimeout, _owner.TimeProvider);
            IDisposable? socket = null;
            try
            {
                Stream stream;
                if (EventLoop.Enabled && _endPoint is IPEndPoint address)
                {
                    var loopSocket = await LoopSocket.ConnectAsync(address, EventLoop.Shared, timeout.Token).ConfigureAwait(false);
                    socket = loopSocket;
                    stream = new LoopStream(loopSocket);
                }
                else
                {
                    var dotnetSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    socket = dotnetSocket;
                    await dotnetSocket.ConnectAsync(_endPoint, timeout.Token).ConfigureAwait(false);
                    stream = new NetworkStream(dotnetSocket, ownsSocket: true);
                }

                if (wanted is not null && _owner.Tls is { } tls)
                {
                    stream = await tls.SecureAsync(stream, _tlsName, http2: false, timeout.Token).ConfigureAwait(false);
                }

                return new UpstreamConnection(socket, stream, wanted);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or AuthenticationException or InvalidOperationException)
            {
                socket?.Dispose();
                return null;
            }
        }

        public async ValueTask CloseIdleAsync()
        {
            while (true)
            {
                UpstreamConnection? connection;
                lock (_idle)
                {
                    if (_count == 0)
                    {
                        return;
                    }

                    connection = _idle[--_count];
                    _idle[_count] = null;
                }

                await connection!.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private SnapshotStore Store => store;

    private UpstreamTls? Tls => tls;
}
