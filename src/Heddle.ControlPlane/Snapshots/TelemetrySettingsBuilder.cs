using Heddle.Config;
using Heddle.Config.Model;
using Heddle.Discovery.V1;
using TelemetryResource = Heddle.Config.Model.Telemetry;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>
/// A proxy's effective access log and trace sampling, from Istio's Telemetry resources and the MeshConfig. Telemetry
/// scopes as in Istio: a resource whose selector matches the workload (in its namespace) wins over its namespace's
/// resource without selector, which wins over the root namespace's (<c>istio-system</c>, the whole mesh); within a
/// scope the first in configuration order applies. An access-logging entry without providers uses the mesh's
/// <c>defaultProviders.accessLogging</c>, else the built-in <c>envoy</c> provider, which writes to
/// <c>accessLogFile</c> (standard output when unset) in <c>accessLogEncoding</c>. When neither a Telemetry nor the
/// MeshConfig says anything, nothing is sent and the proxy's own flags apply.
/// </summary>
internal static class TelemetrySettingsBuilder
{
    private const string EnvoyProvider = "envoy";

    /// <summary>Adds the access-log and tracing settings for <paramref name="proxy"/> to <paramref name="settings"/>.</summary>
    public static ProxySettings Apply(ProxySettings settings, ConfigSet config, string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        var mesh = config.MeshConfigs.IsEmpty ? null : config.MeshConfigs[0].Spec;
        var scopes = Scopes(config.Telemetries, @namespace, labels);
        settings.AccessLog = AccessLog(scopes, mesh);
        if (Sampling(scopes) is { } percentage)
        {
            settings.TracingSampling = new TracingSampling { Percentage = percentage };
        }

        return settings;
    }

    /// <summary>The Telemetry resources that apply, most specific first.</summary>
    private static List<TelemetryResource> Scopes(IEnumerable<TelemetryResource> telemetries, string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        TelemetryResource? workload = null, namespaceWide = null, root = null;
        foreach (var telemetry in telemetries)
        {
            var selector = telemetry.Spec.Selector?.MatchLabels;
            if (selector is null || selector.IsEmpty)
            {
                if (telemetry.Metadata.Namespace == @namespace)
                {
                    namespaceWide ??= telemetry;
                }

                if (telemetry.Metadata.Namespace == PolicyScope.RootNamespace)
                {
                    root ??= telemetry;
                }
            }
            else if (telemetry.Metadata.Namespace == @namespace && LabelSelectors.Matches(selector, labels))
            {
                workload ??= telemetry;
            }
        }

        var scopes = new List<TelemetryResource>(3);
        foreach (var scope in new[] { workload, namespaceWide, root })
        {
            if (scope is not null && !scopes.Contains(scope))
            {
                scopes.Add(scope);
            }
        }

        return scopes;
    }

    private static AccessLogSettings? AccessLog(List<TelemetryResource> scopes, MeshConfigSpec? mesh)
    {
        var defaults = mesh?.DefaultProviders?.AccessLogging ?? [];
        var path = mesh?.AccessLogFile ?? "";
        var json = mesh?.AccessLogEncoding == MeshAccessLogEncoding.Json;
        foreach (var scope in scopes)
        {
            if (scope.Spec.AccessLogging.IsEmpty)
            {
                continue;
            }

            var entry = scope.Spec.AccessLogging[0];
            var settings = new AccessLogSettings { Path = path, Json = json };
            if (entry.Disabled == true)
            {
                return settings;
            }

            var providers = entry.Providers.IsEmpty ? defaults : [.. entry.Providers.Select(p => p.Name ?? "")];
            settings.Enabled = providers.IsEmpty || providers.Contains(EnvoyProvider);
            if (entry.Filter?.Expression is { } expression && AccessLogFilterExpression.TryParse(expression, out var ranges, out _))
            {
                settings.Filtered = true;
                foreach (var (min, max) in ranges)
                {
                    settings.CodeRanges.Add(new AccessLogCodeRange { Min = (uint)min, Max = (uint)max });
                }
            }

            return settings;
        }

        if (!string.IsNullOrEmpty(mesh?.AccessLogFile) || defaults.Contains(EnvoyProvider))
        {
            return new AccessLogSettings { Enabled = true, Path = path, Json = json };
        }

        return null;
    }

    private static double? Sampling(List<TelemetryResource> scopes)
    {
        foreach (var scope in scopes)
        {
            foreach (var tracing in scope.Spec.Tracing)
            {
                if (tracing.DisableSpanReporting == true)
                {
                    return 0;
                }

                if (tracing.RandomSamplingPercentage is { } percentage)
                {
                    return percentage;
                }
            }
        }

        return null;
    }
}
