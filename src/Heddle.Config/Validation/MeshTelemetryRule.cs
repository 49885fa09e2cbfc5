using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>The MeshConfig's access-log fields: providers Heddle has, and a custom format reported as not applied.</summary>
internal sealed class MeshTelemetryRule : ResourceRule<MeshSettings>
{
    protected override void Check(MeshSettings resource, RuleContext context)
    {
        var spec = resource.Spec;
        if (spec.AccessLogFormat is not null)
        {
            context.Warning(resource, "spec.accessLogFormat", "a custom access-log format is not supported: Heddle writes Envoy's default text line (or JSON with accessLogEncoding: JSON)");
        }

        var providers = spec.DefaultProviders?.AccessLogging ?? [];
        for (int i = 0; i < providers.Length; i++)
        {
            if (providers[i] != TelemetryRule.EnvoyProvider)
            {
                context.Warning(resource, $"spec.defaultProviders.accessLogging[{i}]", $"Heddle has the access-log provider \"{TelemetryRule.EnvoyProvider}\" only; \"{providers[i]}\" is ignored");
            }
        }
    }
}
