using System.CommandLine;
using System.Text.Json;
using Heddle.Cli.LocalMesh;
using Heddle.Discovery;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle proxy-config routes|clusters|endpoints|listeners|secret|log WORKLOAD [--replica N] [-o json]</c>: what one sidecar
/// of the running mesh is configured with, read from its admin endpoint (<c>GET :15000/config_dump</c>).
/// </summary>
internal static class ProxyConfigCommand
{
    public static Command Create()
    {
        var command = new Command("proxy-config", "Show a sidecar's configuration: its routes, clusters, endpoints or listeners");
        command.Subcommands.Add(CreateKind(ProxyConfigTables.Routes, "Virtual hosts and their routes: domains, match, destination clusters with weights"));
        command.Subcommands.Add(CreateKind(ProxyConfigTables.Clusters, "Clusters: service, port, subset, protocol, load balancing policy, endpoint count"));
        command.Subcommands.Add(CreateKind(ProxyConfigTables.Endpoints, "Every cluster's endpoints: address, the sidecar in front of it, labels"));
        command.Subcommands.Add(CreateKind(ProxyConfigTables.Listeners, "The pod's listeners: outbound 15001, inbound 15006 with the app's ports, admin 15000, readiness 15021"));
        command.Subcommands.Add(ProxyConfigSecretCommand.Create());
        command.Subcommands.Add(ProxyConfigLogCommand.Create());
        return command;
    }

    private static Command CreateKind(string kind, string description)
    {
        var workload = new Argument<string>("workload") { Description = "The LocalWorkload whose sidecar to read" };
        var replica = new Option<int>("--replica") { Description = "Which replica (0-based)", DefaultValueFactory = _ => 0 };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The workload's namespace, when its name is not unique" };
        var output = OutputOption.Create();
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command(kind, description) { workload, replica, ns, output, runDirectory };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            kind,
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetRequiredValue(workload),
            parseResult.GetValue(ns),
            parseResult.GetValue(replica),
            parseResult.GetRequiredValue(output),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        string kind, RunDirectory runDirectory, string workload, string? ns, int replica, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string name = $"heddle proxy-config {kind}";
        var state = runDirectory.TryReadRunning(out string problem);
        if (state is null)
        {
            error.WriteLine($"{name}: {problem}");
            return 1;
        }

        var pod = ExecCommand.FindPod(state, workload, ns, replica, out problem);
        if (pod is null)
        {
            error.WriteLine($"{name}: {problem}");
            return 1;
        }

        var (dump, failure) = await FetchAsync(pod.PodIp, cancellationToken).ConfigureAwait(false);
        if (dump is null)
        {
            error.WriteLine($"{name}: the sidecar of {pod.PodName} does not answer on {pod.PodIp}:{MeshPorts.Admin}/config_dump ({failure}); is it running? see `heddle status`");
            return 1;
        }

        ProxyConfigTables.Write(kind, dump, pod.PodIp, format, output);
        return 0;
    }

    /// <summary>Reads and parses a sidecar's config dump; on failure, the reason.</summary>
    public static async Task<(ConfigDump? Dump, string Failure)> FetchAsync(string podIp, CancellationToken cancellationToken)
    {
        using var client = Prober.CreateClient();
        try
        {
            using var response = await client.GetAsync(new Uri($"http://{podIp}:{MeshPorts.Admin}/config_dump"), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (ConfigDump.Parse(document.RootElement), "");
        }
        catch (Exception e) when ((e is HttpRequestException or JsonException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return (null, e is TaskCanceledException ? "timed out" : e.Message);
        }
    }
}
