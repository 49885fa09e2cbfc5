using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Configuration;

/// <summary>Turns the proxy's command line into <see cref="ProxyOptions"/>, or into one message saying what is wrong.</summary>
internal static class ProxyOptionsParser
{
    public const string Usage =
        "usage: heddle-proxy --discovery URL --pod-ip IP --pod-name NAME --namespace NS --workload NAME\n" +
        "                    [--service-account NAME] [--label KEY=VALUE]... [--readiness http:PORT:/path | tcp:PORT]\n" +
        "                    [--parent-pid PID] [--log-level trace|debug|info|warning|error] [--access-log on|off|text|json]\n" +
        "                    [--app-metrics PORT[:/path]] [--cluster NAME]\n" +
        "                    [--tracing-collector URL] [--trace-sampling PERCENT]\n" +
        "                    [--discovery-root-cert PEM]   (the CA roots an https:// control plane is verified with)\n" +
        "                    [--token-file PATH]   (else $" + TokenEnvironmentVariable + ": the proof of identity for the control plane)";

    /// <summary>Where the local mesh hands a sidecar its token when no <c>--token-file</c> is given.</summary>
    public const string TokenEnvironmentVariable = "HEDDLE_PROXY_TOKEN";

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out ProxyOptions? options, [NotNullWhen(false)] out string? error)
    {
        options = null;
        Uri? discovery = null;
        IPAddress? podIp = null;
        string? podName = null, ns = null, workload = null, serviceAccount = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        ReadinessProbeSpec? readiness = null;
        int? parentPid = null;
        var logLevel = LogLevel.Information;
        var accessLog = true;
        var accessLogJson = false;
        AppMetricsSpec? appMetrics = null;
        string? cluster = null;
        Uri? tracingCollector = null;
        var traceSampling = 1.0;
        string? token = null;
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection? discoveryRoots = null;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var inlineValue = (string?)null;
            var eq = name.IndexOf('=');
            if (name.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name is "-h" or "--help")
            {
                error = Usage;
                return false;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{name}'";
                return false;
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                error = $"{name} needs a value";
                return false;
            }

            switch (name)
            {
                case "--discovery":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out discovery) || (discovery.Scheme != "http" && discovery.Scheme != "https"))
                    {
                        error = $"--discovery: expected an http:// or https:// address, got '{value}'";
                        return false;
                    }
                    break;
                case "--pod-ip":
                    if (!IPAddress.TryParse(value, out podIp))
                    {
                        error = $"--pod-ip: expected an IP address, got '{value}'";
                        return false;
                    }
                    break;
                case "--pod-name":
                    podName = value;
                    break;
                case "--namespace":
                    ns = value;
                    break;
                case "--workload":
                    workload = value;
                    break;
                case "--service-account":
                    serviceAccount = value;
                    break;
                case "--label":
                    var sep = value.IndexOf('=');
                    if (sep <= 0)
                    {
                        error = $"--label: expected KEY=VALUE, got '{value}'";
                        return false;
                    }
                    labels[value[..sep]] = value[(sep + 1)..];
                    break;
                case "--readiness":
                    if (!TryParseReadiness(value, out readiness))
                    {
                        error = $"--readiness: expected http:PORT:/path or tcp:PORT, got '{value}'";
                        return false;
                    }
                    break;
                case "--parent-pid":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
                    {
                        error = $"--parent-pid: expected a process id, got '{value}'";
                        return false;
                    }
                    parentPid = pid;
                    break;
                case "--log-level":
                    if (!TryParseLogLevel(value, out logLevel))
                    {
                        error = $"--log-level: expected trace, debug, info, warning, error or none, got '{value}'";
                        return false;
                    }
                    break;
                case "--access-log":
                    if (value is not ("on" or "off" or "text" or "json"))
                    {
                        error = $"--access-log: expected on, off, text or json, got '{value}'";
                        return false;
                    }
                    accessLog = value != "off";
                    accessLogJson = value == "json";
                    break;
                case "--app-metrics":
                    if (!AppMetricsSpec.TryParse(value, out appMetrics))
                    {
                        error = $"--app-metrics: expected PORT or PORT:/path, got '{value}'";
                        return false;
                    }
                    break;
                case "--cluster":
                    cluster = value;
                    break;
                case "--tracing-collector":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out tracingCollector) || (tracingCollector.Scheme != "http" && tracingCollector.Scheme != "https"))
                    {
                        error = $"--tracing-collector: expected an http:// or https:// OTLP/gRPC address, got '{value}'";
                        return false;
                    }
                    break;
                case "--trace-sampling":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out traceSampling) || traceSampling is < 0 or > 100)
                    {
                        error = $"--trace-sampling: expected a percentage between 0 and 100, got '{value}'";
                        return false;
                    }
                    break;
                case "--discovery-root-cert":
                    if (!Discovery.ControlPlaneTrust.TryLoadRoots(value, out discoveryRoots, out var rootsError))
                    {
                        error = $"--discovery-root-cert: {rootsError}";
                        return false;
                    }
                    break;
                case "--token-file":
                    try
                    {
                        token = File.ReadAllText(value).Trim();
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        error = $"--token-file: {e.Message}";
                        return false;
                    }
                    break;
                default:
                    error = $"unknown option '{name}'";
                    return false;
            }
        }

        error = discovery is null ? "--discovery is required"
            : podIp is null ? "--pod-ip is required"
            : string.IsNullOrEmpty(podName) ? "--pod-name is required"
            : string.IsNullOrEmpty(ns) ? "--namespace is required"
            : string.IsNullOrEmpty(workload) ? "--workload is required"
            : discoveryRoots is not null && discovery.Scheme != "https" ? "--discovery-root-cert: needs an https:// --discovery address"
            : null;
        if (error is not null)
        {
            return false;
        }

        options = new ProxyOptions
        {
            DiscoveryAddress = discovery!,
            DiscoveryRootCertificates = discoveryRoots,
            PodIp = podIp!,
            PodName = podName!,
            Namespace = ns!,
            Workload = workload!,
            ServiceAccount = string.IsNullOrEmpty(serviceAccount) ? "default" : serviceAccount,
            Labels = labels,
            Readiness = readiness,
            ParentPid = parentPid,
            LogLevel = logLevel,
            AccessLog = accessLog,
            AccessLogJson = accessLogJson,
            AppMetrics = appMetrics,
            TracingCollector = tracingCollector,
            TraceSamplingPercent = traceSampling,
            Cluster = string.IsNullOrEmpty(cluster) ? "Kubernetes" : cluster,
            Token = token ?? Environment.GetEnvironmentVariable(TokenEnvironmentVariable),
            RequireWorkloadCertificate = true,
        };
        return true;
    }

    public static bool TryParseReadiness(string value, [NotNullWhen(true)] out ReadinessProbeSpec? probe)
    {
        probe = null;
        if (value.StartsWith("tcp:", StringComparison.Ordinal))
        {
            if (TryParsePort(value.AsSpan(4), out var tcpPort))
            {
                probe = ReadinessProbeSpec.Tcp(tcpPort);
            }
        }
        else if (value.StartsWith("http:", StringComparison.Ordinal))
        {
            var rest = value.AsSpan(5);
            var colon = rest.IndexOf(':');
            var portText = colon < 0 ? rest : rest[..colon];
            var path = colon < 0 ? "/" : rest[(colon + 1)..].ToString();
            if (TryParsePort(portText, out var httpPort))
            {
                probe = ReadinessProbeSpec.Http(httpPort, path.StartsWith('/') ? path : "/" + path);
            }
        }

        return probe is not null;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    private static bool TryParseLogLevel(string value, out LogLevel level)
    {
        switch (value.ToLowerInvariant())
        {
            case "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "info" or "information": level = LogLevel.Information; return true;
            case "warn" or "warning": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "critical": level = LogLevel.Critical; return true;
            case "off" or "none": level = LogLevel.None; return true;
            default: level = LogLevel.Information; return false;
        }
    }
}
