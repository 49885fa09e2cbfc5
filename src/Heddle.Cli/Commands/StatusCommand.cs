using System.CommandLine;
using System.Text.Json;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle status</c>: the running mesh at a glance — every pod with its IP, its processes, whether its sidecar is
/// ready, and which config version the sidecar acknowledged compared with the control plane's latest.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command("status", "Show the running mesh: workloads, pod IPs, processes, sidecar readiness and config versions")
        {
            runDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(RunDirectory runDirectory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var state = runDirectory.TryReadRunning(out string problem);
        if (state is null)
        {
            error.WriteLine($"heddle status: {problem}");
            return 1;
        }

        using var prober = new Prober(TimeProvider.System);
        var controlPlane = new ControlPlaneClient(prober.Client, state.ControlPlane.Monitoring);
        var readyTask = prober.IsReadyAsync(controlPlane.ReadyUri, cancellationToken);
        var proxiesTask = controlPlane.GetProxiesAsync(cancellationToken);
        var configTask = GetConfigSummaryAsync(prober.Client, state.ControlPlane.Monitoring, cancellationToken);
        var podReadiness = state.Pods.Select(p => prober.IsReadyAsync(Prober.SidecarReadiness(p.PodIp), cancellationToken)).ToArray();
        await Task.WhenAll(podReadiness).ConfigureAwait(false);
        bool controlPlaneReady = await readyTask.ConfigureAwait(false);
        var proxies = await proxiesTask.ConfigureAwait(false);
        string configSummary = await configTask.ConfigureAwait(false);

        output.WriteLine($"mesh           {state.ConfigDirectory}  (heddle up pid {state.Pid}, up since {state.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss})");
        output.WriteLine($"control plane  {state.ControlPlane.Discovery}  {ProcessText(state.ControlPlane.Pid)}  {(controlPlaneReady ? "ready" : "not ready")}{configSummary}");
        output.WriteLine();

        var table = new TextTable("WORKLOAD", "POD", "POD IP", "PROCESS", "SIDECAR", "READY", "CONFIG", "SYNC");
        for (int i = 0; i < state.Pods.Count; i++)
        {
            var pod = state.Pods[i];
            var proxy = proxies?.FirstOrDefault(p => p.PodName == pod.PodName && (p.Namespace.Length == 0 || p.Namespace == pod.Namespace));
            table.Add(
                pod.Namespace == "default" ? pod.Workload : $"{pod.Namespace}/{pod.Workload}",
                pod.PodName,
                pod.PodIp,
                ProcessText(pod.Pid),
                ProcessText(pod.SidecarPid),
                podReadiness[i].Result ? "yes" : "no",
                proxy is null ? "-" : Dash(proxy.AckedVersion),
                proxies is null ? "unknown" : proxy is null ? "NOT CONNECTED" : Dash(proxy.Status));
        }

        table.WriteTo(output);
        return 0;
    }

    private static string ProcessText(int? pid) =>
        pid is { } id && Native.IsAlive(id) ? $"running ({id})" : "stopped";

    private static string Dash(string text) => text.Length == 0 ? "-" : text;

    /// <summary>"  config v7, 2 problems" from <c>/debug/config</c>, or empty when it does not answer.</summary>
    private static async Task<string> GetConfigSummaryAsync(HttpClient client, string monitoring, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri($"http://{monitoring}/debug/config"), cancellationToken).ConfigureAwait(false));
            var root = document.RootElement;
            string version = root.TryGetProperty("version", out var v) ? v.ToString() : "?";
            int problems = root.TryGetProperty("problems", out var p) && p.ValueKind == JsonValueKind.Array ? p.GetArrayLength() : 0;
            return $", config {version}" + (problems == 0 ? "" : $", {problems} problem{(problems == 1 ? "" : "s")} (heddle analyze)");
        }
        catch (Exception e) when ((e is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException) && !cancellationToken.IsCancellationRequested)
        {
            return "";
        }
    }
}
