using System.Net;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Asks the mesh's HTTP endpoints whether they are ready (the control plane's <c>/ready</c>, a sidecar's
/// <c>:15021/healthz/ready</c>) and waits for them with a deadline. Never goes through a proxy from the user's environment.
/// </summary>
internal sealed class Prober : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PoolIdleTimeout = TimeSpan.FromHours(1);

    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    public Prober(TimeProvider time)
    {
        _time = time;
        _client = CreateClient();
    }

    /// <summary>The one HTTP client configuration the CLI uses to talk to the mesh: direct, short timeouts.</summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = RequestTimeout,
            // Connections to the mesh's own endpoints, polled every second, stay open. The handler checks its pool every
            // quarter of the idle timeout (every 30 s without one), and its first check compiles code for a few
            // milliseconds on the cores the sidecars use: with an hour, that is 15 minutes after start.
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = PoolIdleTimeout,
        })
        {
            Timeout = RequestTimeout,
        };

    public HttpClient Client => _client;

    /// <summary>True when a GET of <paramref name="uri"/> answers 2xx; false on any other status or when nothing answers.</summary>
    public async Task<bool> IsReadyAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="uri"/> every <paramref name="interval"/> until it is ready (true) or <paramref name="timeout"/> passed (false).</summary>
    public async Task<bool> WaitReadyAsync(Uri uri, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            if (await IsReadyAsync(uri, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (_time.GetElapsedTime(started) >= timeout)
            {
                return false;
            }

            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The URI of a sidecar's readiness endpoint (200 once it has config and the app's probe passes).</summary>
    public static Uri SidecarReadiness(string podIp) => new($"http://{Host(podIp)}:{Heddle.Discovery.MeshPorts.Readiness}/healthz/ready");

    private static string Host(string ip) => IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip;

    public void Dispose() => _client.Dispose();
}
