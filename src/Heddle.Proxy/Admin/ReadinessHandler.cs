using Heddle.Proxy.Discovery;
using Heddle.Proxy.Health;

namespace Heddle.Proxy.Admin;

/// <summary>The readiness listener (15021): <c>GET /healthz/ready</c> is 200 once the first configuration is applied,
/// the workload certificate installed (when <paramref name="certificates"/> is given: peers cannot reach a sidecar
/// without one over mutual TLS) and the application is ready.</summary>
internal sealed class ReadinessHandler(SnapshotStore store, AppHealth health, Security.WorkloadCertificates? certificates = null)
{
    public Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path.Value != "/healthz/ready")
        {
            return PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "readiness endpoint: /healthz/ready\n");
        }

        if (!store.HasConfig)
        {
            return PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready: no configuration from the control plane yet\n");
        }

        if (certificates is not null && certificates.Current is null)
        {
            return PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready: no workload certificate from the control plane yet\n");
        }

        return health.IsHealthy
            ? PlainText.WriteAsync(context, StatusCodes.Status200OK, "ready\n")
            : PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready: the application's readiness probe is failing\n");
    }
}
