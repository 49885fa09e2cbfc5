using System.Globalization;
using Heddle.Config.Model;
using Heddle.Discovery;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Everything <c>heddle up</c> starts, worked out from the configuration before anything runs: the control
/// plane, and for every replica of every LocalWorkload its pod IP, its sidecar and its workload process.
/// </summary>
internal sealed record MeshPlan(string ConfigDirectory, PodIpAllocator Addresses, ProcessLaunch ControlPlane, IReadOnlyList<PodPlan> Pods)
{
    /// <summary>The certificate authority's directory inside the run directory: a restarted control plane keeps its root.</summary>
    public const string CaDirectoryName = "ca";

    /// <summary>The CA's root bundle in <see cref="CaDirectoryName"/> (the control plane writes it at first start).</summary>
    public const string RootCertificateFile = "root-cert.pem";

    /// <summary>The tokens file inside the run directory (<c>&lt;token&gt; &lt;namespace&gt; &lt;service account&gt;</c>).</summary>
    public const string TokensFileName = "proxy-tokens";

    /// <summary>One token per workload, proving its namespace and service account to the control plane; written to
    /// <see cref="TokensFileName"/> before the control plane starts.</summary>
    public IReadOnlyList<(string Token, string Namespace, string ServiceAccount)> Tokens { get; init; } = [];

    /// <summary>The control plane's discovery address, <c>ip:port</c>.</summary>
    public string Discovery => DiscoveryAddress(Addresses);

    /// <summary>The control plane's monitoring address, <c>ip:port</c>.</summary>
    public string Monitoring => MonitoringAddress(Addresses);

    /// <summary>The variable a sidecar reads its token from (the proxy's <c>HEDDLE_PROXY_TOKEN</c>).</summary>
    public const string ProxyTokenVariable = "HEDDLE_PROXY_TOKEN";

    /// <summary>The runtime's switch for tiered compilation, which the control plane is started without.</summary>
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>A new random token (256 bits, URL-safe base64).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Proxy variables of the user's environment that must not reach the mesh's own processes.</summary>
    private static readonly string[] ProxyVariables = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

    /// <summary>
    /// Plans the mesh; returns null and the problems (one line each) when something cannot be run,
    /// such as a command that is not on PATH or a probe on an undeclared port.
    /// </summary>
    public static MeshPlan? Create(MeshPlanInputs inputs, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        var config = inputs.Config;
        var addresses = inputs.Addresses;
        string discovery = DiscoveryAddress(addresses);
        string monitoring = MonitoringAddress(addresses);

        List<string> controlPlaneArguments = ["control-plane", "--config", inputs.ConfigDirectory, "--listen", discovery, "--monitoring", monitoring,
            "--parent-pid", inputs.ParentPid.ToString(CultureInfo.InvariantCulture)];
        if (inputs.RunDirectory is { } runDirectory)
        {
            controlPlaneArguments.AddRange(["--ca-dir", System.IO.Path.Combine(runDirectory, CaDirectoryName), "--tokens-file", System.IO.Path.Combine(runDirectory, TokensFileName),
                "--listen-tls", SecureDiscoveryAddress(addresses)]);
        }

        if (inputs.PodRegistryFile is { } registry)
        {
            controlPlaneArguments.AddRange(["--registry-file", registry]);
        }

        if (inputs.WorkloadCertificateLifetime is { } lifetime)
        {
            controlPlaneArguments.AddRange(["--workload-cert-ttl", lifetime.ToString("c", CultureInfo.InvariantCulture)]);
        }

        var controlPlane = new ProcessLaunch(
            inputs.Self.FileName,
            inputs.Self.With(controlPlaneArguments),
            inputs.CurrentDirectory,
            WithoutProxyVariables(ControlPlaneRuntimeSettings(inputs)));
        var tokens = new List<(string Token, string Namespace, string ServiceAccount)>();

        if (config.LocalWorkloads.Length > PodIpAllocator.MaxWorkloads)
        {
            errors.Add($"the local mesh runs at most {PodIpAllocator.MaxWorkloads} LocalWorkloads, this configuration has {config.LocalWorkloads.Length}");
        }

        var pods = new List<PodPlan>();
        for (int index = 0; index < config.LocalWorkloads.Length && index < PodIpAllocator.MaxWorkloads; index++)
        {
            var workload = config.LocalWorkloads[index];
            string where = Where(workload);
            if (workload.Spec.Replicas > PodIpAllocator.MaxReplicas)
            {
                errors.Add($"{where}: at most {PodIpAllocator.MaxReplicas} replicas fit in the local mesh, got {workload.Spec.Replicas}");
                continue;
            }

            if (workload.Spec.Command.IsDefaultOrEmpty || workload.Spec.Command[0].Length == 0)
            {
                errors.Add($"{where}: spec.command is required");
                continue;
            }

            string? readiness = ReadinessArgument(workload, out string? readinessError);
            if (readinessError is not null)
            {
                errors.Add($"{where}: {readinessError}");
                continue;
            }

            // workingDir is relative to the workload's file, and defaults to that file's directory: a configuration
            // directory runs the same wherever `heddle up` is started.
            string workingDirectory = workload.ResolveWorkingDirectory();
            if (!Directory.Exists(workingDirectory))
            {
                errors.Add($"{where}: working directory {workingDirectory} does not exist");
                continue;
            }

            for (int replica = 0; replica < workload.Spec.Replicas; replica++)
            {
                string podIp = addresses.PodIp(index, replica).ToString();
                string podName = $"{workload.Metadata.Name}-{replica}";
                var environment = PodEnvironment(workload, podName, podIp);
                var commandLine = workload.Spec.Command.Concat(workload.Spec.Args).Select(a => VariableExpansion.Expand(a, environment)).ToList();
                string path = environment.TryGetValue("PATH", out string? declaredPath) ? declaredPath : inputs.Path ?? "";
                string? program = Executables.Resolve(commandLine[0], workingDirectory, path);
                if (program is null)
                {
                    errors.Add($"{where}: cannot run {commandLine[0]}: not found {(commandLine[0].Contains('/', StringComparison.Ordinal) ? $"(relative to {workingDirectory})" : "on PATH")}");
                    break;
                }

                var workloadLaunch = new ProcessLaunch(
                    program,
                    commandLine.Skip(1).ToList(),
                    workingDirectory,
                    environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal));

                // With a run directory the CA's root is on disk: sidecars reach the control plane over TLS (15012) and
                // verify it with that root before they send their token.
                var sidecarArguments = inputs.RunDirectory is { } caParent
                    ? new List<string> { "--discovery", $"https://{SecureDiscoveryAddress(addresses)}", "--discovery-root-cert", System.IO.Path.Combine(caParent, CaDirectoryName, RootCertificateFile) }
                    : new List<string> { "--discovery", $"http://{discovery}" };
                sidecarArguments.AddRange(
                [
                    "--pod-ip", podIp,
                    "--pod-name", podName,
                    "--namespace", workload.Metadata.Namespace,
                    "--workload", workload.Metadata.Name,
                    "--service-account", workload.ServiceAccount,
                ]);
                foreach (var (key, value) in workload.Labels)
                {
                    sidecarArguments.Add("--label");
                    sidecarArguments.Add($"{key}={value}");
                }

                if (readiness is not null)
                {
                    sidecarArguments.Add("--readiness");
                    sidecarArguments.Add(readiness);
                }

                if (inputs.TracingCollector is not null)
                {
                    sidecarArguments.Add("--tracing-collector");
                    sidecarArguments.Add(inputs.TracingCollector);
                    sidecarArguments.Add("--trace-sampling");
                    sidecarArguments.Add(inputs.TraceSampling.ToString(CultureInfo.InvariantCulture));
                }

                if (ScrapeConfig.AppMetricsArgument(workload) is { } appMetrics)
                {
                    sidecarArguments.Add("--app-metrics");
                    sidecarArguments.Add(appMetrics);
                }

                sidecarArguments.Add("--parent-pid");
                sidecarArguments.Add(inputs.ParentPid.ToString(CultureInfo.InvariantCulture));
                if (!inputs.AccessLog)
                {
                    sidecarArguments.Add("--access-log");
                    sidecarArguments.Add("off");
                }

                var sidecarEnvironment = WithoutProxyVariables(inputs.RuntimeEnvironment);
                if (inputs.TokenFactory is { } newToken)
                {
                    if (replica == 0)
                    {
                        tokens.Add((newToken(), workload.Metadata.Namespace, workload.ServiceAccount));
                    }

                    // In the environment rather than on the command line, which every user can read.
                    sidecarEnvironment[ProxyTokenVariable] = tokens[^1].Token;
                }

                var sidecarLaunch = new ProcessLaunch(
                    inputs.Proxy.FileName,
                    inputs.Proxy.With(sidecarArguments),
                    inputs.CurrentDirectory,
                    sidecarEnvironment);

                var state = new PodState
                {
                    Workload = workload.Metadata.Name,
                    Namespace = workload.Metadata.Namespace,
                    PodName = podName,
                    Replica = replica,
                    PodIp = podIp,
                    WorkingDirectory = workingDirectory,
                    Env = environment,
                };
                pods.Add(new PodPlan(state, workloadLaunch, sidecarLaunch));
            }
        }

        problems = errors;
        return errors.Count == 0 ? new MeshPlan(inputs.ConfigDirectory, addresses, controlPlane, pods) { Tokens = tokens } : null;
    }

    /// <summary>
    /// The variables the mesh gives a workload (POD_IP, POD_NAME, POD_NAMESPACE, its sidecar as HTTP proxy for
    /// everything), followed by the spec's <c>env</c>, each expanded against those before it.
    /// </summary>
    public static Dictionary<string, string> PodEnvironment(LocalWorkload workload, string podName, string podIp)
    {
        string proxy = $"http://{podIp}:{MeshPorts.Outbound}";
        KeyValuePair<string, string>[] mesh =
        [
            new("POD_IP", podIp),
            new("POD_NAME", podName),
            new("POD_NAMESPACE", workload.Metadata.Namespace),
            new("HTTP_PROXY", proxy),
            new("http_proxy", proxy),
            new("NO_PROXY", ""),
            new("no_proxy", ""),
        ];
        return VariableExpansion.Environment(mesh, workload.Spec.Env.Select(e => new KeyValuePair<string, string>(e.Name, e.Value ?? "")));
    }

    /// <summary>The proxy's <c>--readiness</c> value for the workload's readiness probe (null when it has none).</summary>
    public static string? ReadinessArgument(LocalWorkload workload, out string? error)
    {
        error = null;
        var probe = workload.Spec.ReadinessProbe;
        if (probe?.HttpGet is { } httpGet)
        {
            int? port = ResolvePort(workload, httpGet.Port, "spec.readinessProbe.httpGet.port", out error);
            string path = string.IsNullOrEmpty(httpGet.Path) ? "/" : httpGet.Path.StartsWith('/') ? httpGet.Path : "/" + httpGet.Path;
            return port is null ? null : $"http:{port}:{path}";
        }

        if (probe?.TcpSocket is { } tcpSocket)
        {
            int? port = ResolvePort(workload, tcpSocket.Port, "spec.readinessProbe.tcpSocket.port", out error);
            return port is null ? null : $"tcp:{port}";
        }

        return null;
    }

    private static int? ResolvePort(LocalWorkload workload, IntOrString port, string field, out string? error)
    {
        error = null;
        if (port.IsNumber)
        {
            return port.Number;
        }

        foreach (var declared in workload.Spec.Ports)
        {
            if (declared.Name == port.Name)
            {
                return declared.ContainerPort;
            }
        }

        error = $"{field}: no port named '{port.Name}' in spec.ports";
        return null;
    }

    private static string DiscoveryAddress(PodIpAllocator addresses) => $"{addresses.ControlPlane}:{MeshPorts.DiscoveryPlaintext}";

    private static string SecureDiscoveryAddress(PodIpAllocator addresses) => $"{addresses.ControlPlane}:{MeshPorts.DiscoveryTls}";

    private static string MonitoringAddress(PodIpAllocator addresses) => $"{addresses.ControlPlane}:{MeshPorts.ControlPlaneMonitoring}";

    private static string Where(LocalWorkload workload) =>
        workload.Source.Line > 0
            ? $"{workload.Source.File}:{workload.Source.Line} LocalWorkload {workload.Metadata.Name}"
            : $"LocalWorkload {workload.Metadata.Name}";

    /// <summary>
    /// The control plane runs for as long as the mesh, on the cores its sidecars use: without tiered compilation every
    /// method is compiled once, fully optimized, instead of again whenever it has run 30 times (which, for work done
    /// once a second, means recompilation half a minute after start, and later). The user's own setting, inherited, wins.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string?>> ControlPlaneRuntimeSettings(MeshPlanInputs inputs)
    {
        if (inputs.TieredCompilation is null)
        {
            yield return new(TieredCompilationVariable, "0");
        }
    }

    private static Dictionary<string, string?> WithoutProxyVariables(IEnumerable<KeyValuePair<string, string?>> extra)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in ProxyVariables)
        {
            environment[name] = null;
        }

        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }
}

/// <summary>One replica: its published state (identity, address, environment), its workload process and its sidecar.</summary>
internal sealed record PodPlan(PodState State, ProcessLaunch Workload, ProcessLaunch Sidecar)
{
    public string Source => State.PodName;

    public string SidecarSource => State.PodName + "/proxy";
}

/// <summary>What a <see cref="MeshPlan"/> is made from besides the configuration: where things are and who runs them.</summary>
internal sealed record MeshPlanInputs
{
    public required ConfigSet Config { get; init; }

    /// <summary>The configuration directory, absolute.</summary>
    public required string ConfigDirectory { get; init; }

    public required PodIpAllocator Addresses { get; init; }

    /// <summary>How to start the proxy executable.</summary>
    public required ProcessCommand Proxy { get; init; }

    /// <summary>How to start this CLI (for <c>heddle control-plane</c>).</summary>
    public required ProcessCommand Self { get; init; }

    /// <summary>Where the control plane saves the pods it knows (kept across its restarts); none when null.</summary>
    public string? PodRegistryFile { get; init; }

    /// <summary>The pid of <c>heddle up</c>: its children exit when it is gone.</summary>
    public required int ParentPid { get; init; }

    /// <summary>Where <c>heddle up</c> was started: the sidecars and the control plane run there.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>The PATH commands are looked up on, unless a workload's env sets its own.</summary>
    public string? Path { get; init; }

    /// <summary>The user's <c>DOTNET_TieredCompilation</c>, if set (the control plane then inherits it).</summary>
    public string? TieredCompilation { get; init; }

    /// <summary>Variables the proxy apphost needs to find its runtime.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> RuntimeEnvironment { get; init; } = [];

    /// <summary>Whether sidecars print a line per request.</summary>
    public bool AccessLog { get; init; }

    /// <summary>The OTLP/gRPC collector the sidecars export spans to; null: no tracing.</summary>
    public string? TracingCollector { get; init; }

    /// <summary>The percentage of new traces the sidecars sample.</summary>
    public double TraceSampling { get; init; } = 1.0;

    /// <summary>The run directory: the control plane keeps its CA and reads the proxies' tokens there (null: an
    /// in-memory CA that believes what proxies claim).</summary>
    public string? RunDirectory { get; init; }

    /// <summary>Lifetime of workload certificates (null: the control plane's default).</summary>
    public TimeSpan? WorkloadCertificateLifetime { get; init; }

    /// <summary>Makes the per-workload tokens (null: no tokens).</summary>
    public Func<string>? TokenFactory { get; init; }
}
