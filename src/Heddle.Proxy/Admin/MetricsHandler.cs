using System.Buffers;
using System.Net;
using Heddle.Proxy.Configuration;
using Heddle.Proxy.Telemetry.Metrics;

namespace Heddle.Proxy.Admin;

/// <summary>
/// <c>GET /stats/prometheus</c> on 15090 (the proxy's metrics) and on 15020 (the proxy's metrics followed by the
/// application's own, fetched from the endpoint its <c>prometheus.io/*</c> annotations name, as Istio's metrics merging does).
/// </summary>
internal sealed class MetricsHandler : IDisposable
{
    public const string Path = "/stats/prometheus";

    private static readonly TimeSpan AppScrapeTimeout = TimeSpan.FromSeconds(5);

    private readonly ProxyMetrics _metrics;
    private readonly Uri? _appMetrics;
    private readonly HttpClient? _client;

    public MetricsHandler(ProxyMetrics metrics, IPAddress podIp, AppMetricsSpec? appMetrics)
    {
        _metrics = metrics;
        if (appMetrics is not null)
        {
            var host = podIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + podIp + "]" : podIp.ToString();
            _appMetrics = new Uri("http://" + host + ":" + appMetrics.Port + appMetrics.Path);
            _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
            {
                Timeout = AppScrapeTimeout,
            };
        }
    }

    public Task HandleAsync(HttpContext context, bool merged)
    {
        var request = context.Request;
        if (request.Path.Value != Path)
        {
            return PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "metrics: GET " + Path + "\n");
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed\n");
        }

        return WriteAsync(context, merged);
    }

    /// <summary>Writes the proxy's metrics (and, merged, the application's) as the response.</summary>
    public async Task WriteAsync(HttpContext context, bool merged)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        _metrics.WritePrometheus(buffer);
        if (merged && _client is not null)
        {
            await AppendAppMetricsAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusText.ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The application's text is appended as it is; an application that does not answer leaves only the proxy's metrics.</summary>
    private async Task AppendAppMetricsAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client!.GetAsync(_appMetrics, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            buffer.Write(body);
            if (body.Length > 0 && body[^1] != (byte)'\n')
            {
                buffer.Write("\n"u8);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
        }
    }

    public void Dispose() => _client?.Dispose();
}
