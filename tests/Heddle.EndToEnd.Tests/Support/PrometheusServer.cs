using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Heddle.EndToEnd.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's package) run in the foreground with a given configuration and a temporary storage
/// directory, queried through its HTTP API.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Process process, string directory, Uri address, ProcessOutput output)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Output = output;
    }

    public Uri Address { get; }

    public ProcessOutput Output { get; }

    /// <summary>Starts Prometheus on <paramref name="listen"/> with <paramref name="configYaml"/> and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string configYaml, IPEndPoint listen)
    {
        string directory = Directory.CreateTempSubdirectory("heddle-prometheus-").FullName;
        string config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml);
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--config.file=" + config);
        info.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(directory, "data"));
        info.ArgumentList.Add("--web.listen-address=" + listen);
        info.ArgumentList.Add("--log.level=warn");
        var output = new ProcessOutput();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start prometheus");
        output.Attach(process);
        var server = new PrometheusServer(process, directory, new Uri($"http://{listen}/"), output);
        try
        {
            await Wait.UntilAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException("prometheus exited: " + output.Tail(20));
                    }

                    using var response = await server._http.GetAsync(new Uri(server.Address, "-/ready"));
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(30),
                "prometheus to be ready");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query: each result's labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var uri = new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var document = JsonDocument.Parse(await _http.GetStringAsync(uri));
        var data = document.RootElement.GetProperty("data");
        var results = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var item in data.GetProperty("result").EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in item.GetProperty("metric").EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }

            string text = item.GetProperty("value")[1].GetString() ?? "NaN";
            results.Add((labels, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return results;
    }

    /// <summary>The health of every scrape target ("up", "down", "unknown"), by scrape URL.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TargetsAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri(Address, "api/v1/targets")));
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
        {
            targets[target.GetProperty("scrapeUrl").GetString()!] = target.GetProperty("health").GetString()!;
        }

        return targets;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Terminate(_process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
