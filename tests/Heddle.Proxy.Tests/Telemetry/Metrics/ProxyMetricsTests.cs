using System.Buffers;
using System.Text;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;

namespace Heddle.Proxy.Tests.Telemetry.Metrics;

public sealed class ProxyMetricsTests
{
    private static readonly WorkloadPeer Client = new("client", "default", "client", "v1", "client", "Kubernetes");
    private static readonly WorkloadPeer Web = new("web-v1", "default", "web", "v1", "web", "Kubernetes");
    private static readonly ServiceTarget WebService = new("web.default.svc.cluster.local", "web", "default");

    [Fact]
    public void RecordRequest_KnownLabelSet_AllocatesNothing()
    {
        var metrics = new ProxyMetrics();
        var key = new HttpSeriesKey(Reporter.Source, Client, Web, WebService, RequestProtocol.Http, 200, -1, ResponseFlags.None, SecurityPolicy.Unknown);
        // Warm up past the JIT's tiering, whose own bookkeeping may allocate once.
        for (var i = 0; i < 10_000; i++)
        {
            metrics.RecordRequest(key, TimeSpan.FromMilliseconds(3), 10, 20);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.RecordRequest(new HttpSeriesKey(Reporter.Source, Client, Web, WebService, RequestProtocol.Http, 200, -1, ResponseFlags.None, SecurityPolicy.Unknown), TimeSpan.FromMilliseconds(3), 10, 20);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, metrics.HttpSeriesCount);
    }

    [Fact]
    public void WritePrometheus_Histogram_BucketsAreCumulativeWithIstioBounds()
    {
        var metrics = new ProxyMetrics();
        var key = new HttpSeriesKey(Reporter.Destination, Client, Web, WebService, RequestProtocol.Grpc, 200, 0, ResponseFlags.None, SecurityPolicy.None);
        metrics.RecordRequest(key, TimeSpan.FromMilliseconds(0.3), 0, 0);
        metrics.RecordRequest(key, TimeSpan.FromMilliseconds(7), 0, 0);
        metrics.RecordRequest(key, TimeSpan.FromMilliseconds(4000), 0, 0);

        var text = Write(metrics);

        Assert.Contains("le=\"0.5\"} 1\n", text);
        Assert.Contains("le=\"10\"} 2\n", text);
        Assert.Contains("le=\"5000\"} 3\n", text);
        Assert.Contains("le=\"3600000\"} 3\n", text);
        Assert.Contains("le=\"+Inf\"} 3\n", text);
        Assert.Contains("} 4007.3\n", text);
        Assert.Contains("request_protocol=\"grpc\",response_code=\"200\",grpc_response_status=\"0\"", text);
    }

    [Fact]
    public void WritePrometheus_TcpSeries_CountsConnectionsAndBytes()
    {
        var metrics = new ProxyMetrics();
        var series = metrics.Tcp(new TcpSeriesKey(Reporter.Source, Client, Web, WebService, ResponseFlags.None, SecurityPolicy.Unknown));
        series.OnOpened();
        series.OnClosed(received: 100, sent: 250);

        var text = Write(metrics);

        Assert.Matches("istio_tcp_connections_opened_total\\{[^}]*request_protocol=\"tcp\"[^}]*\\} 1\n", text);
        Assert.Matches("istio_tcp_connections_closed_total\\{[^}]*\\} 1\n", text);
        Assert.Matches("istio_tcp_received_bytes_total\\{[^}]*\\} 100\n", text);
        Assert.Matches("istio_tcp_sent_bytes_total\\{[^}]*\\} 250\n", text);
    }

    [Fact]
    public void PeerMetadata_EncodeThenResolve_SameWorkloadSameInstance()
    {
        var peers = new PeerMetadata();
        var header = PeerMetadata.Encode(Web);

        var first = peers.Resolve(header);
        var second = peers.Resolve(header);

        Assert.Same(first, second);
        Assert.Equal("web-v1", first.Workload);
        Assert.Equal("web", first.App);
        Assert.Equal("web", first.ServiceAccount);
        Assert.Same(WorkloadPeer.Unknown, peers.Resolve(null));
    }

    [Theory]
    [InlineData("web:8000", "web.default.svc.cluster.local", "web", "default")]
    [InlineData("web.default:8000", "web.default.svc.cluster.local", "web", "default")]
    [InlineData("web.default.svc", "web.default.svc.cluster.local", "web", "default")]
    [InlineData("web.other.svc.cluster.local:80", "web.other.svc.cluster.local", "web", "other")]
    [InlineData("api.example.com:443", "api.example.com", "api.example.com", "unknown")]
    public void Describe_InboundAuthority_CompletesKubernetesShortNames(string authority, string host, string name, string ns)
    {
        var service = MeshTelemetry.Describe(authority, "default", passthrough: false);

        Assert.Equal((host, name, ns), (service.Host, service.Name, service.Namespace));
    }

    private static string Write(ProxyMetrics metrics)
    {
        var buffer = new ArrayBufferWriter<byte>();
        metrics.WritePrometheus(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
