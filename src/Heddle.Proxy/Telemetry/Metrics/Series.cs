using System.Globalization;
using System.Text;

namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>The counters of one request-metrics label set; its label text is rendered once, when the series is created.</summary>
internal sealed class HttpSeries(HttpSeriesKey key)
{
    private long _requests;

    /// <summary>The label pairs, UTF-8, without braces: <c>reporter="source",source_workload="web",...</c>.</summary>
    public byte[] Labels { get; } = SeriesLabels.Http(key);

    public long Requests => Volatile.Read(ref _requests);

    public Histogram Duration { get; } = new();

    public Histogram RequestBytes { get; } = new();

    public Histogram ResponseBytes { get; } = new();

    public void Record(TimeSpan duration, long requestBytes, long responseBytes)
    {
        Interlocked.Increment(ref _requests);
        // The sum is kept in microseconds, so sub-millisecond requests still add up.
        Duration.Observe(duration.TotalMilliseconds, duration.Ticks / TimeSpan.TicksPerMicrosecond);
        RequestBytes.Observe(requestBytes, requestBytes);
        ResponseBytes.Observe(responseBytes, responseBytes);
    }
}

/// <summary>The counters of one TCP label set.</summary>
internal sealed class TcpSeries(TcpSeriesKey key)
{
    private long _opened;
    private long _closed;
    private long _sent;
    private long _received;

    public byte[] Labels { get; } = SeriesLabels.Tcp(key);

    public long Opened => Volatile.Read(ref _opened);

    public long Closed => Volatile.Read(ref _closed);

    /// <summary>Bytes sent to the downstream (the response direction), <c>istio_tcp_sent_bytes_total</c>.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Bytes received from the downstream (the request direction), <c>istio_tcp_received_bytes_total</c>.</summary>
    public long Received => Volatile.Read(ref _received);

    public void OnOpened() => Interlocked.Increment(ref _opened);

    public void OnClosed(long received, long sent)
    {
        Interlocked.Add(ref _received, received);
        Interlocked.Add(ref _sent, sent);
        Interlocked.Increment(ref _closed);
    }
}

/// <summary>Renders a key's labels in Istio's order, with Prometheus escaping.</summary>
internal static class SeriesLabels
{
    public static byte[] Http(in HttpSeriesKey key)
    {
        var text = new StringBuilder(640);
        Common(text, key.Reporter, key.Source, key.Destination, key.Service, key.Security);
        Pair(text, "request_protocol", MetricLabels.Name(key.Protocol));
        Pair(text, "response_code", key.ResponseCode.ToString(CultureInfo.InvariantCulture));
        Pair(text, "grpc_response_status", key.GrpcStatus < 0 ? "" : key.GrpcStatus.ToString(CultureInfo.InvariantCulture));
        Pair(text, "response_flags", ResponseFlagNames.Format(key.Flags));
        Pair(text, "connection_security_policy", MetricLabels.Name(key.Security));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Tcp(in TcpSeriesKey key)
    {
        var text = new StringBuilder(560);
        Common(text, key.Reporter, key.Source, key.Destination, key.Service, key.Security);
        Pair(text, "request_protocol", MetricLabels.Name(RequestProtocol.Tcp));
        Pair(text, "response_flags", ResponseFlagNames.Format(key.Flags));
        Pair(text, "connection_security_policy", MetricLabels.Name(key.Security));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Common(StringBuilder text, Reporter reporter, WorkloadPeer source, WorkloadPeer destination, ServiceTarget service, SecurityPolicy security)
    {
        var authenticated = security == SecurityPolicy.MutualTls;
        Pair(text, "reporter", MetricLabels.Name(reporter));
        Pair(text, "source_workload", source.Workload);
        Pair(text, "source_workload_namespace", source.Namespace);
        Pair(text, "source_principal", WorkloadPeer.Principal(source, authenticated));
        Pair(text, "source_app", source.App);
        Pair(text, "source_version", source.Version);
        Pair(text, "source_cluster", source.Cluster);
        Pair(text, "destination_workload", destination.Workload);
        Pair(text, "destination_workload_namespace", destination.Namespace);
        Pair(text, "destination_principal", WorkloadPeer.Principal(destination, authenticated));
        Pair(text, "destination_app", destination.App);
        Pair(text, "destination_version", destination.Version);
        Pair(text, "destination_service", service.Host);
        Pair(text, "destination_service_name", service.Name);
        Pair(text, "destination_service_namespace", service.Namespace);
        Pair(text, "destination_cluster", destination.Cluster);
    }

    private static void Pair(StringBuilder text, string name, string value)
    {
        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(name).Append("=\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }
}
