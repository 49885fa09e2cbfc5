using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Heddle.Cli.LocalMesh;
using Heddle.Config;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle up DIR</c>: runs the configuration in DIR as a local mesh — the control plane, and for every
/// LocalWorkload replica a sidecar and the workload on their own loopback pod IP — with the output of all of
/// them interleaved, until Ctrl-C or SIGTERM stops everything.
/// </summary>
internal static class UpCommand
{
    public const string Name = "up";

    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "A directory of YAML files: Services, routing, and the LocalWorkloads to run" };
        var cidr = new Option<string>("--cidr")
        {
            Description = "The loopback /16 for the control plane (<base>.0.1) and the pods (<base>.<workload>.<replica>)",
            DefaultValueFactory = _ => PodIpAllocator.DefaultCidr,
            HelpName = "CIDR",
        };
        var runDirectory = CommonOptions.RunDirectory();
        var accessLog = new Option<bool>("--access-log") { Description = "Show the sidecars' access logs: a line per request, with its response flags" };
        var tracingCollector = new Option<string?>("--tracing-collector")
        {
            Description = "Export the sidecars' spans to this OTLP/gRPC collector (e.g. http://127.0.0.1:4317)",
            HelpName = "URL",
        };
        var traceSampling = new Option<double>("--trace-sampling")
        {
            Description = "Percentage of new traces to sample (Istio's default: 1)",
            DefaultValueFactory = _ => 1.0,
            HelpName = "PERCENT",
        };
        var certificateLifetime = new Option<TimeSpan?>("--workload-cert-ttl") { Description = "Lifetime of workload certificates (default 24:00:00; sidecars renew at half of it)", HelpName = "HH:MM:SS" };
        var command = new Command(Name, "Start a local mesh: the control plane, and every LocalWorkload with its own sidecar and pod IP")
        {
            directory, cidr, runDirectory, accessLog, tracingCollector, traceSampling, certificateLifetime,
        };
        command.SetAction((parseResult, _) => RunAsync(
            parseResult.GetRequiredValue(directory),
            parseResult.GetRequiredValue(cidr),
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetValue(accessLog),
            new TracingSettings(parseResult.GetValue(tracingCollector), parseResult.GetValue(traceSampling)),
            parseResult.GetValue(certificateLifetime),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> RunAsync(
        string directory, string cidr, RunDirectory runDirectory, bool accessLog, TracingSettings tracing, TimeSpan? certificateLifetime, TextWriter output, TextWriter error)
    {
        if (tracing.Collector is not null && !Uri.TryCreate(tracing.Collector, UriKind.Absolute, out _))
        {
            error.WriteLine($"heddle up: --tracing-collector: expected a URL such as http://127.0.0.1:4317, got '{tracing.Collector}'");
            return 1;
        }

        if (tracing.SamplingPercent is < 0 or > 100)
        {
            error.WriteLine("heddle up: --trace-sampling: expected a percentage between 0 and 100");
            return 1;
        }

        if (!Directory.Exists(directory))
        {
            error.WriteLine($"heddle up: {directory}: no such directory");
            return 1;
        }

        string configDirectory = Path.GetFullPath(directory);
        if (!PodIpAllocator.TryParse(cidr, out var addresses, out string cidrError))
        {
            error.WriteLine($"heddle up: --cidr {cidrError}");
            return 1;
        }

        var check = ConfigCheck.Run(ConfigLoader.LoadDirectory(configDirectory));
        check.WriteProblems(error);
        if (check.HasErrors)
        {
            error.WriteLine($"heddle up: not starting: {directory} has errors (listed above; `heddle analyze {directory}` shows them again)");
            return 1;
        }

        var running = runDirectory.TryRead();
        if (running is not null)
        {
            if (Native.IsAlive(running.Pid))
            {
                error.WriteLine($"heddle up: a mesh is already running from {runDirectory.Path} (heddle up pid {running.Pid}, config {running.ConfigDirectory}); stop it, or start this one with another --run-dir and --cidr");
                return 1;
            }

            var killed = LeftoverProcesses.Kill(running);
            if (killed.Count > 0)
            {
                error.WriteLine($"heddle up: stopped {string.Join(", ", killed)}, left running by a mesh that did not stop cleanly (heddle up pid {running.Pid})");
            }
        }

        // Nothing of an earlier mesh carries over (its control plane's saved pods least of all).
        runDirectory.Delete();

        var proxy = Executables.Proxy(AppContext.BaseDirectory);
        if (proxy is null)
        {
            error.WriteLine($"heddle up: cannot find heddle-proxy; build the repository (./heddle does) or set ${Executables.ProxyEnvironmentVariable}");
            return 1;
        }

        var plan = MeshPlan.Create(
            new MeshPlanInputs
            {
                Config = check.Config,
                ConfigDirectory = configDirectory,
                Addresses = addresses,
                Proxy = proxy,
                Self = Executables.Self(),
                ParentPid = Environment.ProcessId,
                PodRegistryFile = runDirectory.PodRegistryFile,
                CurrentDirectory = Environment.CurrentDirectory,
                Path = Environment.GetEnvironmentVariable("PATH"),
                TieredCompilation = Environment.GetEnvironmentVariable(MeshPlan.TieredCompilationVariable),
                RuntimeEnvironment = [.. Executables.RuntimeEnvironment()],
                AccessLog = accessLog,
                TracingCollector = tracing.Collector,
                TraceSampling = tracing.SamplingPercent,
                RunDirectory = runDirectory.Path,
                TokenFactory = MeshPlan.NewToken,
                WorkloadCertificateLifetime = certificateLifetime,
            },
            out var problems);
        if (plan is null)
        {
            foreach (string problem in problems)
            {
                error.WriteLine(problem);
            }

            error.WriteLine("heddle up: not starting: the workloads above cannot be run");
            return 1;
        }

        foreach (var endpoint in new[] { plan.Discovery, plan.Monitoring })
        {
            if (!IsFree(IPEndPoint.Parse(endpoint)))
            {
                error.WriteLine($"heddle up: {endpoint} is in use (another mesh?); stop it, or use another range such as --cidr 127.1.0.0/16");
                return 1;
            }
        }

        // Proxies prove their identity with these tokens; the control plane reads the file (it is never logged).
        Heddle.ControlPlane.Security.TokenFileAuthenticator.Write(Path.Combine(runDirectory.Path, MeshPlan.TokensFileName), plan.Tokens);

        using var signals = new ShutdownSignals();
        using var prober = new Prober(TimeProvider.System);
        var log = new LogMultiplexer(output, output == Console.Out && LogMultiplexer.ShouldColor());
        var supervisor = new MeshSupervisor(plan, runDirectory, log, prober, TimeProvider.System);
        WriteScrapeConfig(runDirectory, plan);
        signals.Forced += supervisor.KillAll;
        return await supervisor.RunAsync(signals.Token).ConfigureAwait(false);
    }

    /// <summary>A Prometheus configuration for this mesh, beside mesh.json, so that a Prometheus can be pointed at it as is.</summary>
    private static void WriteScrapeConfig(RunDirectory runDirectory, MeshPlan plan)
    {
        Directory.CreateDirectory(runDirectory.Path);
        string yaml = ScrapeConfig.Render(plan.ConfigDirectory, plan.Monitoring, plan.Pods.Select(p => p.State), TimeSpan.FromSeconds(15));
        File.WriteAllText(Path.Combine(runDirectory.Path, ScrapeConfig.FileName), yaml);
    }

    private static bool IsFree(IPEndPoint endpoint)
    {
        try
        {
            // As the servers will: SO_REUSEADDR, so that connections of an earlier mesh still in TIME_WAIT do not count
            // as "in use" — only a listener does.
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>Where the sidecars export spans (null: nowhere) and which share of new traces they sample.</summary>
internal sealed record TracingSettings(string? Collector, double SamplingPercent);
