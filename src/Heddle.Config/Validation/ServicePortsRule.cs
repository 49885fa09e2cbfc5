using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A Service's ports are distinct, and named when there are several (as Kubernetes requires).</summary>
internal sealed class ServicePortsRule : ResourceRule<KubernetesService>
{
    protected override void Check(KubernetesService resource, RuleContext context)
    {
        var ports = resource.Spec.Ports;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<(int, string)>();
        for (int i = 0; i < ports.Length; i++)
        {
            var port = ports[i];
            if (ports.Length > 1 && string.IsNullOrEmpty(port.Name))
            {
                context.Error(resource, $"spec.ports[{i}].name", "each port needs a name when a Service has several ports");
            }
            else if (!string.IsNullOrEmpty(port.Name) && !names.Add(port.Name))
            {
                context.Error(resource, $"spec.ports[{i}].name", $"port name \"{port.Name}\" is declared twice");
            }
            if (!numbers.Add((port.Port, port.Protocol ?? "TCP")))
            {
                context.Error(resource, $"spec.ports[{i}].port", $"port {port.Port}/{port.Protocol ?? "TCP"} is declared twice");
            }
        }
    }
}
