using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Telemetry;
using Heddle.Discovery.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Heddle.ControlPlane.Monitoring;

/// <summary>The monitoring server's routes: <c>/ready</c>, <c>/metrics</c>, <c>/debug/proxies</c> and <c>/debug/config</c>.</summary>
internal static class MonitoringEndpoints
{
    /// <param name="metrics">The metrics <c>/metrics</c> serves (default: the process's).</param>
    public static void Map(IEndpointRouteBuilder routes, FileConfigSource config, PodRegistry pods, ProxyConnections connections, ControlPlaneMetrics? metrics = null)
    {
        var served = metrics ?? ControlPlaneMetrics.Shared;
        // The server starts after the first configuration load and the discovery server, so answering means ready.
        routes.MapGet("/ready", context => context.Response.WriteAsync("ready\n"));
        routes.MapGet("/metrics", context => WriteMetricsAsync(context, served));
        routes.MapGet("/debug/proxies", context => WriteJsonAsync(context, Proxies(pods, connections), MonitoringJson.Default.ProxyInfoArray));
        routes.MapGet("/debug/config", context => WriteJsonAsync(context, Config(config.Current), MonitoringJson.Default.ConfigInfo));
    }

    internal static ProxyInfo[] Proxies(PodRegistry pods, ProxyConnections connections)
    {
        var health = new Dictionary<string, WorkloadHealth>(StringComparer.Ordinal);
        foreach (var pod in pods.Pods)
        {
            health[pod.Id] = pod.Health;
        }

        var all = connections.All;
        var proxies = new ProxyInfo[all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            var connection = all[i];
            var node = connection.Node;
            var status = connection.GetStatus();
            proxies[i] = new ProxyInfo(
                node.Id,
                node.PodName,
                node.Namespace,
                node.Workload,
                node.PodIp,
                HealthName(health.GetValueOrDefault(node.Id)),
                status.AckedVersion,
                status.LatestVersion,
                status.Status,
                status.SentVersion,
                status.Rejections,
                status.LastRejection);
        }

        return proxies;
    }

    internal static ConfigInfo Config(ConfigState state)
    {
        var problems = ImmutableArray.CreateBuilder<string>(state.Problems.Length);
        foreach (var problem in state.Problems)
        {
            problems.Add(problem.ToString());
        }

        return new ConfigInfo(state.Version, problems.MoveToImmutable());
    }

    private static string HealthName(WorkloadHealth health) => health switch
    {
        WorkloadHealth.Healthy => "HEALTHY",
        WorkloadHealth.Unhealthy => "UNHEALTHY",
        _ => "UNKNOWN",
    };

    private static Task WriteMetricsAsync(HttpContext context, ControlPlaneMetrics metrics)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        metrics.WritePrometheus(text);
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }
}
