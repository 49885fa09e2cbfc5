using System.Buffers;
using System.Collections.Concurrent;

namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// The proxy's Istio-standard metrics. A label set is resolved to its series once; after that, recording a request is
/// a dictionary lookup on a small struct key and a few interlocked adds, with no allocation.
/// </summary>
internal sealed class ProxyMetrics
{
    private readonly ConcurrentDictionary<HttpSeriesKey, HttpSeries> _http = new();
    private readonly ConcurrentDictionary<TcpSeriesKey, TcpSeries> _tcp = new();

    public int HttpSeriesCount => _http.Count;

    public void RecordRequest(in HttpSeriesKey key, TimeSpan duration, long requestBytes, long responseBytes)
    {
        if (!_http.TryGetValue(key, out var series))
        {
            series = _http.GetOrAdd(key, static k => new HttpSeries(k));
        }

        series.Record(duration, requestBytes, responseBytes);
    }

    public TcpSeries Tcp(in TcpSeriesKey key) =>
        _tcp.TryGetValue(key, out var series) ? series : _tcp.GetOrAdd(key, static k => new TcpSeries(k));

    /// <summary>Every series in Prometheus's text exposition format (version 0.0.4).</summary>
    public void WritePrometheus(IBufferWriter<byte> output)
    {
        var http = Snapshot(_http);
        var tcp = Snapshot(_tcp);
        var text = new PrometheusText(output);

        text.Family("istio_requests_total", "counter", "Requests handled, by source, destination, response code and flags.");
        foreach (var series in http)
        {
            text.Sample("istio_requests_total", series.Labels, series.Requests);
        }

        text.Family("istio_request_duration_milliseconds", "histogram", "Request durations in milliseconds.");
        foreach (var series in http)
        {
            text.Histogram("istio_request_duration_milliseconds", series.Labels, series.Duration, sumDivisor: 1000);
        }

        text.Family("istio_request_bytes", "histogram", "Request body sizes in bytes.");
        foreach (var series in http)
        {
            text.Histogram("istio_request_bytes", series.Labels, series.RequestBytes, sumDivisor: 1);
        }

        text.Family("istio_response_bytes", "histogram", "Response body sizes in bytes.");
        foreach (var series in http)
        {
            text.Histogram("istio_response_bytes", series.Labels, series.ResponseBytes, sumDivisor: 1);
        }

        text.Family("istio_tcp_sent_bytes_total", "counter", "Bytes sent to the downstream on TCP connections.");
        foreach (var series in tcp)
        {
            text.Sample("istio_tcp_sent_bytes_total", series.Labels, series.Sent);
        }

        text.Family("istio_tcp_received_bytes_total", "counter", "Bytes received from the downstream on TCP connections.");
        foreach (var series in tcp)
        {
            text.Sample("istio_tcp_received_bytes_total", series.Labels, series.Received);
        }

        text.Family("istio_tcp_connections_opened_total", "counter", "TCP connections opened.");
        foreach (var series in tcp)
        {
            text.Sample("istio_tcp_connections_opened_total", series.Labels, series.Opened);
        }

        text.Family("istio_tcp_connections_closed_total", "counter", "TCP connections closed.");
        foreach (var series in tcp)
        {
            text.Sample("istio_tcp_connections_closed_total", series.Labels, series.Closed);
        }
    }

    private static List<TValue> Snapshot<TKey, TValue>(ConcurrentDictionary<TKey, TValue> series)
        where TKey : notnull
    {
        var values = new List<TValue>(series.Count);
        foreach (var pair in series)
        {
            values.Add(pair.Value);
        }

        return values;
    }
}
