using Heddle.Proxy.Admin;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Tracing;

namespace Heddle.Proxy.Listeners;

/// <summary>The one request delegate of the proxy: hands each request to the handler of the listener that accepted its connection.</summary>
internal sealed class RequestDispatcher(OutboundHandler outbound, InboundHandler inbound, AdminHandler admin, ReadinessHandler readiness, MetricsHandler metrics, Tracer tracer)
{
    public Task HandleAsync(HttpContext context)
    {
        var connection = context.Features.Get<ProxyConnectionFeature>();
        if (connection?.Listener is ListenerKind.Outbound or ListenerKind.Inbound)
        {
            RequestId.Ensure(context);
            tracer.Start(context, inbound: connection.Listener == ListenerKind.Inbound);
        }

        return connection?.Listener switch
        {
            ListenerKind.Outbound => outbound.HandleAsync(context, connection),
            ListenerKind.Inbound => inbound.HandleAsync(context),
            ListenerKind.Readiness => readiness.HandleAsync(context),
            ListenerKind.Admin => admin.HandleAsync(context),
            ListenerKind.Metrics => metrics.HandleAsync(context, merged: false),
            ListenerKind.MergedMetrics => metrics.HandleAsync(context, merged: true),
            _ => Task.CompletedTask,
        };
    }
}
