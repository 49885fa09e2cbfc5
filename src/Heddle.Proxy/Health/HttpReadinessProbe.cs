using System.Net;

namespace Heddle.Proxy.Health;

/// <summary>GET http://pod-ip:port/path; any 2xx or 3xx status is ready, as in Kubernetes.</summary>
internal sealed class HttpReadinessProbe : IReadinessProbe, IDisposable
{
    private readonly HttpMessageInvoker _client;
    private readonly Uri _uri;

    public HttpReadinessProbe(IPAddress podIp, int port, string path)
    {
        var host = podIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + podIp + "]" : podIp.ToString();
        _uri = new Uri("http://" + host + ":" + port + path);
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        });
    }

    public async ValueTask<bool> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _uri);
            request.Headers.TryAddWithoutValidation("User-Agent", "heddle-probe");
            using var response = await _client.SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
