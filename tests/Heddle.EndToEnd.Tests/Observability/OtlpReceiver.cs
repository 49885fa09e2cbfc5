using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Heddle.Proxy.Telemetry.Tracing.Otlp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heddle.EndToEnd.Tests.Observability;

/// <summary>A real OTLP/gRPC trace receiver (h2c, port 0) that keeps every span it is sent, with its resource's service name.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, SpanStore store, Uri address)
    {
        _app = app;
        Store = store;
        Address = address;
    }

    public SpanStore Store { get; }

    public Uri Address { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var store = new SpanStore();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(store);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGrpcService<TraceReceiver>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OtlpReceiver(app, store, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The spans received so far, each with the service name of the resource it came with.</summary>
internal sealed class SpanStore
{
    private readonly ConcurrentQueue<(string Service, Span Span)> _spans = new();

    public IReadOnlyList<(string Service, Span Span)> Spans => _spans.ToArray();

    public void Add(string service, Span span) => _spans.Enqueue((service, span));
}

internal sealed class TraceReceiver(SpanStore store) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = resourceSpans.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";
            foreach (var scope in resourceSpans.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    store.Add(service, span);
                }
            }
        }

        return Task.FromResult(new ExportTraceServiceResponse());
    }
}
