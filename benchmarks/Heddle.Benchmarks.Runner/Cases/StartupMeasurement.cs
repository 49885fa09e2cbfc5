using System.Diagnostics;
using System.Globalization;
using System.Net;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>How fast a fresh sidecar starts against a running, warm control plane.</summary>
/// <param name="ListeningMs">Process start → admin port accepts connections, per run.</param>
/// <param name="ReadyMs">Process start → <c>/healthz/ready</c> answers 200 (first config applied), per run.</param>
/// <param name="RssMbWhenReady">Resident memory of the fresh sidecar when it became ready (median).</param>
internal sealed record StartupMeasurement(IReadOnlyList<double> ListeningMs, IReadOnlyList<double> ReadyMs, double? RssMbWhenReady, string? Problem)
{
    public double? MedianReadyMs => Median(ReadyMs);

    public double? MedianListeningMs => Median(ListeningMs);

    public double? MaxReadyMs => ReadyMs.Count == 0 ? null : ReadyMs.Max();

    /// <summary>
    /// Starts <paramref name="repetitions"/> extra sidecars of the "client" workload one after the other on a spare pod IP
    /// and polls their admin and readiness ports every millisecond.
    /// </summary>
    public static async Task<StartupMeasurement> MeasureAsync(
        BenchContext context, string proxyPath, string directory, int repetitions, CancellationToken cancellationToken)
    {
        AddressPlan addresses = context.Addresses;
        IPAddress pod = addresses.StartupProbePod;
        var admin = new IPEndPoint(pod, 15000);
        var readyUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{pod}:15021/healthz/ready"));
        var listening = new List<double>();
        var ready = new List<double>();
        var rss = new List<double>();
        for (int run = 0; run < repetitions; run++)
        {
            await Listening.EnsureFreeAsync(admin, cancellationToken).ConfigureAwait(false);
            using HttpClient client = Http.CreateClient(TimeSpan.FromSeconds(1));
            var clock = Stopwatch.StartNew();
            ChildProcess proxy = ChildProcess.Start(new ChildProcessSpec(
                proxyPath,
                [
                    "--discovery", $"http://{addresses.ControlPlane}:15010",
                    "--pod-ip", pod.ToString(),
                    "--pod-name", "client-startup-probe",
                    "--namespace", "default",
                    "--workload", "client",
                    "--service-account", "client",
                    "--label", "app=client",
                    "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                    "--access-log", "off",
                ])
            {
                LogPath = Path.Combine(directory, "startup-probe.log"),
                // The control plane signs a certificate (which readiness waits for) only for a proxy that proves
                // its identity: the token `heddle up` gave the client workload.
                Environment = new Dictionary<string, string> { ["HEDDLE_PROXY_TOKEN"] = ClientToken(directory) },
            });
            try
            {
                double? listenedAt = null;
                while (clock.Elapsed < TimeSpan.FromSeconds(10) && !proxy.HasExited)
                {
                    if (listenedAt is null && await Listening.AcceptsAsync(admin, cancellationToken).ConfigureAwait(false))
                    {
                        listenedAt = clock.Elapsed.TotalMilliseconds;
                    }

                    if (listenedAt is not null && await IsReadyAsync(client, readyUrl, cancellationToken).ConfigureAwait(false))
                    {
                        ready.Add(clock.Elapsed.TotalMilliseconds);
                        listening.Add(listenedAt.Value);
                        if (ProcFs.TryRead(proxy.Id) is { } sample)
                        {
                            rss.Add(sample.RssKb / 1024.0);
                        }

                        break;
                    }

                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                }

                if (ready.Count <= run)
                {
                    string why = proxy.HasExited ? "exited" : "was not ready within 10 s";
                    return new StartupMeasurement(listening, ready, Median(rss), $"a fresh sidecar {why}; log {proxy.LogPath}");
                }
            }
            finally
            {
                await proxy.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new StartupMeasurement(listening, ready, Median(rss), null);
    }

    /// <summary>The client workload's token from the run directory's tokens file (<c>&lt;token&gt; &lt;namespace&gt; &lt;account&gt;</c>).</summary>
    private static string ClientToken(string caseDirectory)
    {
        string tokens = Path.Combine(caseDirectory, "run", "proxy-tokens");
        if (File.Exists(tokens))
        {
            foreach (string line in File.ReadAllLines(tokens))
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 3 && parts[1] == "default" && parts[2] == "client")
                {
                    return parts[0];
                }
            }
        }

        return "";
    }

    private static async Task<bool> IsReadyAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
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

    private static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
