using System.Globalization;
using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Observability;

/// <summary>
/// A user's Prometheus, unmodified, pointed at a local mesh with the configuration `heddle scrape-config` prints: it
/// sees exactly the requests the test sent, with Istio's metric names and labels from both sidecars, and the standard
/// Istio dashboard queries (request rate, success rate, p99 latency) answer.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string Httpbin = "httpbin.default.svc.cluster.local";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task IstioRequestsTotal_KnownTraffic_PrometheusCountsExactly()
    {
        Assert.True(File.Exists(PrometheusServer.Executable), "prometheus is not installed (scripts/test installs Debian's package)");
        await using var mesh = await LocalMesh.StartAsync("observability");

        // The mesh's scrape configuration, with a 1 s interval so the test does not wait for 15 s scrapes.
        var (exitCode, config) = await mesh.RunCliAsync("scrape-config", "--interval", "1");
        Assert.True(exitCode == 0, config);
        string prometheusAddress = mesh.Cidr.Split('.')[0] + "." + mesh.Cidr.Split('.')[1] + ".250.1";
        await using var prometheus = await PrometheusServer.StartAsync(config, new IPEndPoint(IPAddress.Parse(prometheusAddress), 19090));

        // Every sidecar and the control plane are scraped successfully.
        await Wait.UntilAsync(
            async () =>
            {
                var targets = await prometheus.TargetsAsync();
                return targets.Count == 4 && targets.Values.All(h => h == "up");
            },
            Deadline,
            "prometheus to scrape the 3 sidecars and the control plane");

        using var client = mesh.ClientOf("client");

        // First a part of the traffic, so that every series exists before the rest: rates then see an increase.
        await SendAsync(client, "http://httpbin:8000/status/200", 10, HttpStatusCode.OK);
        await SendAsync(client, "http://httpbin:8000/status/503", 3, HttpStatusCode.ServiceUnavailable);
        await SendAsync(client, "http://httpbin:8000/unrouted", 1, HttpStatusCode.NotFound);
        await WaitForValueAsync(prometheus, "sum(istio_requests_total{reporter=\"source\"})", 14);
        // Istio's default retry policy tries a 503 three times: the server's sidecar sees every try.
        await WaitForValueAsync(prometheus, "sum(istio_requests_total{reporter=\"destination\"})", 10 + (3 * 3));

        await SendAsync(client, "http://httpbin:8000/status/200", 15, HttpStatusCode.OK);
        await SendAsync(client, "http://httpbin:8000/status/503", 4, HttpStatusCode.ServiceUnavailable);
        await SendAsync(client, "http://httpbin:8000/unrouted", 2, HttpStatusCode.NotFound);
        await WaitForValueAsync(prometheus, "sum(istio_requests_total{reporter=\"source\"})", 35);
        await WaitForValueAsync(prometheus, "sum(istio_requests_total{reporter=\"destination\"})", 25 + (7 * 3));

        // The client's sidecar: by response code, source workload, destination service and response flags.
        var bySource = await prometheus.QueryAsync(
            "sum by (response_code, source_workload, destination_service, response_flags) (istio_requests_total{reporter=\"source\"})");
        Assert.Equal(
            new[]
            {
                $"200 client {Httpbin} - = 25",
                $"404 client {Httpbin} NR = 3",
                $"503 client {Httpbin} URX = 7",
            },
            Describe(bySource, "response_code", "source_workload", "destination_service", "response_flags"));

        // The server's sidecar saw the routed requests, and knows the client workload through the peer metadata.
        var byDestination = await prometheus.QueryAsync(
            "sum by (response_code, source_workload, source_app, destination_workload, destination_service, connection_security_policy) (istio_requests_total{reporter=\"destination\"})");
        Assert.Equal(
            new[]
            {
                $"200 client client httpbin {Httpbin} mutual_tls = 25",
                $"503 client client httpbin {Httpbin} mutual_tls = 21",
            },
            Describe(byDestination, "response_code", "source_workload", "source_app", "destination_workload", "destination_service", "connection_security_policy"));

        // Istio's dashboard queries return values.
        var rate = await WaitForResultAsync(
            prometheus, "sum(rate(istio_requests_total{reporter=\"destination\"}[1m])) by (destination_service)", r => r.Value > 0);
        Assert.Equal(Httpbin, rate.Labels["destination_service"]);
        var success = await WaitForResultAsync(
            prometheus,
            "sum(rate(istio_requests_total{reporter=\"destination\",response_code!~\"5.*\"}[1m])) / sum(rate(istio_requests_total{reporter=\"destination\"}[1m]))",
            r => !double.IsNaN(r.Value));
        Assert.InRange(success.Value, 0.0, 1.0);
        var p99 = await WaitForResultAsync(
            prometheus,
            "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\"}[1m])) by (le, destination_workload))",
            r => !double.IsNaN(r.Value));
        Assert.Equal("httpbin", p99.Labels["destination_workload"]);
        Assert.True(p99.Value > 0, $"p99 {p99.Value}");

        // The application's own metrics arrive through its sidecar's merged endpoint (prometheus.io annotations).
        var appMetric = await WaitForResultAsync(prometheus, "heddle_e2e_app_info", r => r.Value == 1);
        Assert.Equal("metrics-app", appMetric.Labels["workload"]);
    }

    private static async Task SendAsync(HttpClient client, string url, int count, HttpStatusCode expected)
    {
        for (int i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    private static async Task WaitForValueAsync(PrometheusServer prometheus, string promql, double expected)
    {
        double? last = null;
        try
        {
            await Wait.UntilAsync(
                async () =>
                {
                    var results = await prometheus.QueryAsync(promql);
                    last = results.Count == 1 ? results[0].Value : null;
                    return last == expected;
                },
                Deadline,
                $"{promql} = {expected}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (last: {last?.ToString(CultureInfo.InvariantCulture) ?? "no result"})", e);
        }
    }

    private static async Task<(IReadOnlyDictionary<string, string> Labels, double Value)> WaitForResultAsync(
        PrometheusServer prometheus, string promql, Func<(IReadOnlyDictionary<string, string> Labels, double Value), bool> accept)
    {
        (IReadOnlyDictionary<string, string> Labels, double Value)? found = null;
        await Wait.UntilAsync(
            async () =>
            {
                var results = await prometheus.QueryAsync(promql);
                found = results.Count == 1 && accept(results[0]) ? results[0] : null;
                return found is not null;
            },
            Deadline,
            promql);
        return found!.Value;
    }

    private static string[] Describe(IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> results, params string[] labels) =>
        results
            .Select(r => string.Join(' ', labels.Select(l => r.Labels.TryGetValue(l, out var v) ? v : "")) + " = " + r.Value.ToString(CultureInfo.InvariantCulture))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
