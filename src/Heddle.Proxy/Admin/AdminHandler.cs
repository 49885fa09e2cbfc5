using System.Buffers;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Telemetry;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Admin;

/// <summary>The admin listener (15000): <c>GET /ready</c>, <c>GET /config_dump</c>, <c>GET /stats</c>, <c>GET /stats/prometheus</c>, <c>GET /clusters</c>,
/// <c>GET|POST /logging[?level=]</c>, <c>POST /quitquitquit</c>.</summary>
internal sealed class AdminHandler(
    SnapshotStore store, DiscoveryClient discovery, MetricsHandler metrics, LogLevelSwitch logLevel, string nodeId, Action requestShutdown, ILogger logger, Security.WorkloadCertificates? certificates = null)
{
    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value;
        switch (path)
        {
            case "/ready" when HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method):
                // As Envoy's /ready: LIVE once initialized, which for a sidecar means its first configuration is applied.
                return store.HasConfig
                    ? PlainText.WriteAsync(context, StatusCodes.Status200OK, "LIVE\n")
                    : PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "PRE_INITIALIZING\n");
            case "/config_dump" when HttpMethods.IsGet(request.Method):
                return ConfigDumpAsync(context);
            case "/quitquitquit" when HttpMethods.IsPost(request.Method):
                ProxyLog.QuitRequested(logger);
                context.Response.OnCompleted(static state =>
                {
                    ((Action)state).Invoke();
                    return Task.CompletedTask;
                }, requestShutdown);
                return PlainText.WriteAsync(context, StatusCodes.Status200OK, "OK\n");
            case "/stats" when HttpMethods.IsGet(request.Method):
                return StatsAsync(context);
            case MetricsHandler.Path when HttpMethods.IsGet(request.Method):
                return metrics.WriteAsync(context, merged: false);
            case "/clusters" when HttpMethods.IsGet(request.Method):
                return PlainText.WriteAsync(context, StatusCodes.Status200OK, ClustersWriter.Write(store.Current));
            case "/logging" when HttpMethods.IsGet(request.Method) || HttpMethods.IsPost(request.Method):
                return LoggingAsync(context);
            case "/quitquitquit" or "/config_dump" or "/ready" or "/stats" or MetricsHandler.Path or "/clusters" or "/logging":
                return PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed\n");
            default:
                return PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "admin endpoints: /ready /config_dump /stats /stats/prometheus /clusters /logging /quitquitquit (POST)\n");
        }
    }

    /// <summary>As Envoy's: <c>POST /logging?level=debug</c> changes the level of the proxy's loggers; without a level, shows it.</summary>
    private Task LoggingAsync(HttpContext context)
    {
        var requested = context.Request.Query["level"];
        if (requested.Count > 0)
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                return PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "changing the level needs POST\n");
            }

            if (!LogLevelSwitch.TryParse(requested[0], out var level))
            {
                return PlainText.WriteAsync(context, StatusCodes.Status400BadRequest, "level: expected trace, debug, info, warning, error, critical or off\n");
            }

            logLevel.Level = level;
        }

        return PlainText.WriteAsync(context, StatusCodes.Status200OK, "active loggers:\n  heddle: " + LogLevelSwitch.Name(logLevel.Level) + "\n");
    }

    private Task ConfigDumpAsync(HttpContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        ConfigDumpWriter.Write(buffer, store.Current, nodeId, discovery.IsConnected, certificates);
        return WriteJsonAsync(context, buffer);
    }

    private static Task StatsAsync(HttpContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        StatsWriter.Write(buffer);
        return WriteJsonAsync(context, buffer);
    }

    private static async Task WriteJsonAsync(HttpContext context, ArrayBufferWriter<byte> buffer)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
