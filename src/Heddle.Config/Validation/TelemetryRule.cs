using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A Telemetry's access-log filters must be expressions Heddle evaluates, sampling percentages lie between 0
/// and 100, providers are ones Heddle has, and metrics overrides are reported as not applied.</summary>
internal sealed class TelemetryRule : ResourceRule<Telemetry>
{
    /// <summary>Istio's built-in access-log provider.</summary>
    public const string EnvoyProvider = "envoy";

    protected override void Check(Telemetry resource, RuleContext context)
    {
        var spec = resource.Spec;
        for (int i = 0; i < spec.AccessLogging.Length; i++)
        {
            var entry = spec.AccessLogging[i];
            var path = $"spec.accessLogging[{i}]";
            for (int p = 0; p < entry.Providers.Length; p++)
            {
                if (entry.Providers[p].Name is { } name && name != EnvoyProvider)
                {
                    context.Warning(resource, $"{path}.providers[{p}].name", $"Heddle has the access-log provider \"{EnvoyProvider}\" only; \"{name}\" is ignored");
                }
            }

            if (entry.Match?.Mode is TelemetryWorkloadMode.Client or TelemetryWorkloadMode.Server)
            {
                context.Warning(resource, $"{path}.match.mode", "Heddle applies access logging to both directions; match.mode CLIENT or SERVER is not supported and the entry applies to all traffic");
            }

            if (entry.Filter?.Expression is { } expression
                && !AccessLogFilterExpression.TryParse(expression, out _, out var error))
            {
                context.Warning(resource, $"{path}.filter.expression", error + "; the entry logs every request");
            }
        }

        for (int i = 0; i < spec.Tracing.Length; i++)
        {
            if (spec.Tracing[i].RandomSamplingPercentage is { } percent and (< 0 or > 100 or double.NaN))
            {
                context.Error(resource, $"spec.tracing[{i}].randomSamplingPercentage", $"expected a percentage between 0 and 100, got {percent}");
            }
        }

        for (int i = 0; i < spec.Metrics.Length; i++)
        {
            if (!spec.Metrics[i].Overrides.IsEmpty)
            {
                context.Warning(resource, $"spec.metrics[{i}].overrides", "metrics overrides are not supported: Heddle reports Istio's standard metrics and labels unchanged");
            }
        }
    }
}
