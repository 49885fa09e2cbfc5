using System.CommandLine;
using System.Text.Json;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle proxy-status</c>: every proxy connected to the running mesh's control plane, with the configuration
/// version it acknowledged against the latest one the control plane has for it (SYNCED / STALE / NOT SENT).
/// </summary>
internal static class ProxyStatusCommand
{
    public static Command Create()
    {
        var output = OutputOption.Create();
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command("proxy-status", "Show whether every sidecar acknowledged the control plane's latest configuration")
        {
            output, runDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetRequiredValue(output),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(RunDirectory runDirectory, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var state = runDirectory.TryReadRunning(out string problem);
        if (state is null)
        {
            error.WriteLine($"heddle proxy-status: {problem}");
            return 1;
        }

        using var client = Prober.CreateClient();
        var proxies = await new ControlPlaneClient(client, state.ControlPlane.Monitoring).GetProxiesAsync(cancellationToken).ConfigureAwait(false);
        if (proxies is null)
        {
            error.WriteLine($"heddle proxy-status: the control plane does not answer on {state.ControlPlane.Monitoring} (is it restarting? see `heddle status`)");
            return 1;
        }

        if (format == OutputOption.Json)
        {
            WriteJson(proxies, output);
        }
        else
        {
            WriteTable(proxies, output);
        }

        return 0;
    }

    /// <summary>NAME (pod.namespace, as istioctl names proxies), WORKLOAD, POD IP, VERSION ACKED, LATEST, STATUS.</summary>
    public static void WriteTable(IReadOnlyList<ProxyStatus> proxies, TextWriter output)
    {
        if (proxies.Count == 0)
        {
            output.WriteLine("no proxy is connected to the control plane");
            return;
        }

        var table = new TextTable("NAME", "WORKLOAD", "POD IP", "VERSION ACKED", "LATEST", "STATUS");
        foreach (var proxy in Sorted(proxies))
        {
            table.Add(
                $"{proxy.PodName}.{proxy.Namespace}",
                Dash(proxy.Workload),
                Dash(proxy.PodIp),
                Dash(proxy.AckedVersion),
                Dash(proxy.LatestVersion),
                Dash(proxy.Status));
        }

        table.WriteTo(output);
    }

    public static void WriteJson(IReadOnlyList<ProxyStatus> proxies, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var proxy in Sorted(proxies))
            {
                json.WriteStartObject();
                json.WriteString("name", $"{proxy.PodName}.{proxy.Namespace}");
                json.WriteString("podName", proxy.PodName);
                json.WriteString("namespace", proxy.Namespace);
                json.WriteString("workload", proxy.Workload);
                json.WriteString("podIp", proxy.PodIp);
                json.WriteString("health", proxy.Health);
                json.WriteString("ackedVersion", proxy.AckedVersion);
                json.WriteString("latestVersion", proxy.LatestVersion);
                json.WriteString("status", proxy.Status);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static IEnumerable<ProxyStatus> Sorted(IReadOnlyList<ProxyStatus> proxies) =>
        proxies.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.PodName, StringComparer.Ordinal);

    private static string Dash(string text) => text.Length == 0 ? "-" : text;
}
