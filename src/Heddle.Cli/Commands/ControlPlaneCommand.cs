using System.CommandLine;
using System.Net;
using Heddle.Cli.LocalMesh;
using Heddle.ControlPlane;
using Heddle.Discovery;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle control-plane --config DIR</c>: the control plane as a server — watches DIR, serves the discovery
/// stream to proxies and the monitoring endpoint — until Ctrl-C, SIGTERM, or the death of <c>--parent-pid</c>.
/// </summary>
internal static class ControlPlaneCommand
{
    private static readonly TimeSpan ParentCheckInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The configuration directory to serve and watch", Required = true, HelpName = "DIR" };
        var listen = Endpoint("--listen", "Discovery (gRPC, h2c) address", new IPEndPoint(IPAddress.Loopback, MeshPorts.DiscoveryPlaintext));
        var listenTls = Endpoint("--listen-tls", "Discovery over TLS (gRPC, h2), served with a certificate of the mesh's CA; conventionally port 15012; default: none", null);
        var monitoring = Endpoint("--monitoring", "Monitoring address (/ready, /debug/proxies, /debug/config)", new IPEndPoint(IPAddress.Loopback, MeshPorts.ControlPlaneMonitoring));
        var parentPid = new Option<int?>("--parent-pid") { Description = "Exit when this process is gone", HelpName = "PID" };
        var registryFile = new Option<string?>("--registry-file")
        {
            Description = "Save the pods the control plane knows in FILE, so that a restart keeps every endpoint while the proxies reconnect",
            HelpName = "FILE",
        };
        var caDirectory = new Option<string?>("--ca-dir") { Description = "The CA's directory: a root generated there at first start, or a plug-in CA (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem); default: a root in memory", HelpName = "DIR" };
        var tokensFile = new Option<string?>("--tokens-file") { Description = "Proxy tokens ('<token> <namespace> <service account>' per line); default: believe what proxies claim", HelpName = "FILE" };
        var certificateLifetime = new Option<TimeSpan?>("--workload-cert-ttl") { Description = "Lifetime of workload certificates (default 24:00:00)", HelpName = "HH:MM:SS" };
        var command = new Command("control-plane", "Run the control plane: serve the configuration in DIR to the proxies") { config, listen, listenTls, monitoring, parentPid, registryFile, caDirectory, tokensFile, certificateLifetime };
        command.SetAction((parseResult, _) => RunAsync(
            new ControlPlaneOptions
            {
                ConfigDirectory = Path.GetFullPath(parseResult.GetRequiredValue(config)),
                DiscoveryEndpoint = parseResult.GetRequiredValue(listen)!,
                SecureDiscoveryEndpoint = parseResult.GetValue(listenTls),
                MonitoringEndpoint = parseResult.GetRequiredValue(monitoring)!,
                RegistryFile = parseResult.GetValue(registryFile) is { } file ? Path.GetFullPath(file) : null,
                CaDirectory = parseResult.GetValue(caDirectory) is { } ca ? Path.GetFullPath(ca) : null,
                TokensFile = parseResult.GetValue(tokensFile) is { } tokens ? Path.GetFullPath(tokens) : null,
                WorkloadCertificateLifetime = parseResult.GetValue(certificateLifetime) ?? Heddle.ControlPlane.Security.WorkloadCertificateIssuer.DefaultLifetime,
            },
            parseResult.GetValue(parentPid),
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> RunAsync(ControlPlaneOptions options, int? parentPid, TextWriter error)
    {
        if (!Directory.Exists(options.ConfigDirectory))
        {
            error.WriteLine($"heddle control-plane: {options.ConfigDirectory}: no such directory");
            return 1;
        }

        using var signals = new ShutdownSignals();
        using var parentGone = new CancellationTokenSource();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, parentGone.Token);
        var parentWatch = parentPid is { } pid ? WatchParentAsync(pid, parentGone, stopping.Token) : Task.CompletedTask;
        try
        {
            await ControlPlaneHost.RunAsync(options, stopping.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"heddle control-plane: certificate authority: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            // Typically "address already in use": another control plane (another mesh) on the same address.
            error.WriteLine($"heddle control-plane: {e.Message}");
            return 1;
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await parentWatch.ConfigureAwait(false);
        }
    }

    private static async Task WatchParentAsync(int pid, CancellationTokenSource parentGone, CancellationToken stopping)
    {
        try
        {
            while (Native.IsAlive(pid))
            {
                await Task.Delay(ParentCheckInterval, stopping).ConfigureAwait(false);
            }

            await parentGone.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Option<IPEndPoint?> Endpoint(string name, string description, IPEndPoint? defaultValue) => new(name)
    {
        Description = description,
        HelpName = "IP:PORT",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0)
            {
                return endpoint;
            }

            result.AddError($"{name}: expected IP:PORT such as 127.0.0.1:{defaultValue?.Port ?? MeshPorts.DiscoveryTls}, got '{text}'");
            return defaultValue;
        },
    };
}
