using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing.Otlp;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Telemetry.Tracing;

/// <summary>
/// Sends finished spans to an OTLP/gRPC collector in batches, from a background task. The request path only queues a
/// span; when the collector is slow or away, spans beyond the queue's capacity are dropped and counted.
/// </summary>
internal sealed class OtlpSpanExporter : IDisposable
{
    private const int Capacity = 8192;
    private const int BatchSize = 512;
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Span> _spans = Channel.CreateBounded<Span>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly GrpcChannel _channel;
    private readonly TraceService.TraceServiceClient _client;
    private readonly Resource _resource;
    private readonly ILogger _logger;
    private long _dropped;

    public OtlpSpanExporter(Uri collector, WorkloadPeer local, ILogger logger)
    {
        _logger = logger;
        _channel = GrpcChannel.ForAddress(collector, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) },
            DisposeHttpClient = true,
        });
        _client = new TraceService.TraceServiceClient(_channel);
        // Istio names a workload's traces by its canonical service and namespace, e.g. "httpbin.default".
        var service = (local.App != WorkloadPeer.UnknownValue ? local.App : local.Workload) + "." + local.Namespace;
        _resource = new Resource();
        _resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        _resource.Attributes.Add(new KeyValue { Key = "k8s.namespace.name", Value = new AnyValue { StringValue = local.Namespace } });
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(Span span)
    {
        if (!_spans.Writer.TryWrite(span))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Exports until cancelled, then what is still queued.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _spans.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await ExportQueuedAsync(reader).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await ExportQueuedAsync(reader).ConfigureAwait(false);
    }

    private async Task ExportQueuedAsync(ChannelReader<Span> reader)
    {
        while (reader.TryPeek(out _))
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "heddle-proxy" } };
            while (scope.Spans.Count < BatchSize && reader.TryRead(out var span))
            {
                scope.Spans.Add(span);
            }

            var request = new ExportTraceServiceRequest();
            request.ResourceSpans.Add(new ResourceSpans { Resource = _resource, ScopeSpans = { scope } });
            try
            {
                await _client.ExportAsync(request, deadline: DateTime.UtcNow + ExportTimeout).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                Interlocked.Add(ref _dropped, scope.Spans.Count);
                ProxyLog.SpanExportFailed(_logger, scope.Spans.Count, e.Status.Detail);
            }
        }
    }

    public void Dispose() => _channel.Dispose();
}
