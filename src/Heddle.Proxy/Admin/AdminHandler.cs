using System.Buffers;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Telemetry;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Admin;

/// <summary>The admin listener (15000): <c>GET /ready</c>, <c>GET /config_dump</c>, <c>POST /quitquitquit</c>.</summary>
internal sealed class AdminHandler(SnapshotStore store, DiscoveryClient discovery, string nodeId, Action requestShutdown, ILogger logger, Security.WorkloadCertificates? certificates = null)
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
            case "/quitquitquit" or "/config_dump" or "/ready" or "/stats":
                return PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed\n");
            default:
                return PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "admin endpoints: /ready /config_dump /stats /quitquitquit (POST)\n");
        }
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
