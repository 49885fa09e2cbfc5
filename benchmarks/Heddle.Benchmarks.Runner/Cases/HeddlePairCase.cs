using System.Globalization;
using System.Net;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>
/// A client sidecar and a server sidecar from <c>heddle up benchmarks/mesh</c>: the load generator uses the client
/// sidecar's outbound listener as its explicit HTTP proxy, as a workload with HTTP_PROXY does.
/// </summary>
/// <remarks>
/// The mesh's "upstream" LocalWorkload is a placeholder process; the benchmark's shared upstream already listens on the
/// pod IP <c>heddle up</c> gives that workload, so the server sidecar forwards to the same upstream as every other case.
/// </remarks>
internal sealed class HeddlePairCase(bool mutualTls) : IBenchmarkCase
{
    private const string ServiceHost = "upstream";
    private const string MutualTlsFile = "peer-authentication.yaml";

    public string Id => mutualTls ? "heddle-mtls" : "heddle-plaintext";

    public string Title => mutualTls ? "Heddle pair, mTLS + metrics" : "Heddle pair, plaintext";

    public string Path => mutualTls
        ? "client → Heddle sidecar (outbound :15001) → mTLS → Heddle sidecar (inbound :15006) → upstream"
        : "client → Heddle sidecar (outbound :15001) → HTTP/1.1 → Heddle sidecar (inbound :15006) → upstream";

    public async Task<string?> UnavailableReasonAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(System.IO.Path.Combine(context.RepositoryRoot, "heddle")))
        {
            return "./heddle (the CLI that starts the local mesh) does not exist yet";
        }

        if (!File.Exists(HeddleBuild.ProxyProject(context.RepositoryRoot)) && context.Options.ProxyPath is null)
        {
            return "src/Heddle.Proxy does not exist";
        }

        if (!mutualTls)
        {
            return null;
        }

        // The mTLS case needs security.istio.io PeerAuthentication; until the configuration library knows it,
        // `heddle analyze` refuses the file and the case is reported as not available rather than failed.
        string configDirectory = PrepareConfig(context);
        CommandResult analyze = await ProcessRunner.RunAsync(
            System.IO.Path.Combine(context.RepositoryRoot, "heddle"), ["analyze", configDirectory], TimeSpan.FromMinutes(15), cancellationToken,
            workingDirectory: context.RepositoryRoot).ConfigureAwait(false);
        if (analyze.ExitCode != 0)
        {
            return $"`heddle analyze` does not accept the mTLS configuration (benchmarks/mesh + benchmarks/mesh-mtls){Environment.NewLine}{TextTail.FirstLines(analyze.Output, 6)}";
        }

        // A warning such as "Heddle does not read security.istio.io/v1 PeerAuthentication; the resource is ignored"
        // means the mesh would run in plaintext.
        foreach (string line in analyze.Output.Split('\n'))
        {
            if (line.StartsWith(MutualTlsFile, StringComparison.Ordinal))
            {
                return $"`heddle analyze` on benchmarks/mesh-mtls: {line.Trim()}";
            }
        }

        return null;
    }

    public async Task<RunningTopology> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        string proxyPath = await context.HeddleBuild.GetProxyAsync(cancellationToken).ConfigureAwait(false);
        string directory = context.CaseDirectory(Id);
        HeddleMesh mesh = await HeddleMesh.StartAsync(context, PrepareConfig(context), directory, proxyPath, cancellationToken).ConfigureAwait(false);
        try
        {
            MeshPod server = mesh.Pod("upstream");
            MeshPod client = mesh.Pod("client");
            if (!server.PodIp.Equals(context.Addresses.UpstreamPod))
            {
                throw new InvalidOperationException(
                    $"heddle up gave the upstream workload {server.PodIp}, but the shared upstream listens on {context.Addresses.UpstreamPod}; " +
                    "the upstream LocalWorkload must be the first workload in benchmarks/mesh");
            }

            MeasuredProcess clientSidecar = mesh.Sidecar(client, "client sidecar");
            MeasuredProcess serverSidecar = mesh.Sidecar(server, "server sidecar");
            if (mutualTls && await InboundAcceptsPlaintextAsync(server, cancellationToken).ConfigureAwait(false))
            {
                throw new CaseUnavailableException("the server sidecar's inbound listener answers plaintext h2c: mTLS is not enforced yet");
            }

            var target = new LoadTarget(
                new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{ServiceHost}:{AddressPlan.UpstreamPort}/")),
                new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{client.PodIp}:15001")));
            var topology = new RunningTopology(target, [clientSidecar, serverSidecar], mesh.DisposeAsync)
            {
                // The upstream's endpoint appears once its sidecar reports the workload healthy.
                VerifyTimeout = TimeSpan.FromSeconds(60),
                Background = mesh.Background(),
                MeasureStartup = token => StartupMeasurement.MeasureAsync(context, proxyPath, directory, context.Options.StartupRepetitions, token),
            };
            topology.Notes.Add($"sidecars: {clientSidecar.Name} pid {clientSidecar.RootPid} ({client.PodIp}), pid {serverSidecar.RootPid} ({server.PodIp}); mesh log {mesh.LogPath}");
            topology.Notes.Add(await DescribeMetricsAsync(client, cancellationToken).ConfigureAwait(false));
            return topology;
        }
        catch
        {
            await mesh.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A config directory for this run: benchmarks/mesh, plus benchmarks/mesh-mtls for the mTLS case.</summary>
    /// <remarks>A copy, so that nothing the mesh writes into its config directory lands in the repository.</remarks>
    private string PrepareConfig(BenchContext context)
    {
        string target = System.IO.Path.Combine(context.CaseDirectory(Id), "config");
        Directory.CreateDirectory(target);
        CopyYaml(System.IO.Path.Combine(context.RepositoryRoot, "benchmarks", "mesh"), target);
        if (mutualTls)
        {
            CopyYaml(System.IO.Path.Combine(context.RepositoryRoot, "benchmarks", "mesh-mtls"), target);
        }

        return target;
    }

    private static void CopyYaml(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from))
        {
            if (file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
            {
                File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    private static async Task<bool> InboundAcceptsPlaintextAsync(MeshPod server, CancellationToken cancellationToken)
    {
        using HttpClient client = Http.CreateClient(TimeSpan.FromSeconds(3), version: HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{server.PodIp}:15006/"));
        request.Headers.Add("x-heddle-inbound-port", AddressPlan.UpstreamPort.ToString(CultureInfo.InvariantCulture));
        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<string> DescribeMetricsAsync(MeshPod pod, CancellationToken cancellationToken)
    {
        using HttpClient client = Http.CreateClient(TimeSpan.FromSeconds(2));
        foreach (int port in new[] { 15020, 15090 })
        {
            var url = new Uri($"http://{pod.PodIp}:{port}/stats/prometheus");
            try
            {
                using HttpResponseMessage response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return $"metrics: {url} answers {(int)response.StatusCode}";
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        return "metrics: no Prometheus endpoint answered on :15020 or :15090 (metrics not implemented yet, or off)";
    }
}
