using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A LocalWorkload can be started: a command, distinct ports and env names, a probe that says how to probe.</summary>
internal sealed class LocalWorkloadRule : ResourceRule<LocalWorkload>
{
    protected override void Check(LocalWorkload resource, RuleContext context)
    {
        var spec = resource.Spec;
        if (!spec.Command.IsEmpty && spec.Command[0].Length == 0)
        {
            context.Error(resource, "spec.command[0]", "the executable must not be empty");
        }
        var numbers = new HashSet<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < spec.Ports.Length; i++)
        {
            var port = spec.Ports[i];
            if (!numbers.Add(port.ContainerPort))
            {
                context.Error(resource, $"spec.ports[{i}].containerPort", $"port {port.ContainerPort} is declared twice");
            }
            if (port.Name is { } name && !names.Add(name))
            {
                context.Error(resource, $"spec.ports[{i}].name", $"port name \"{name}\" is declared twice");
            }
        }
        var variables = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < spec.Env.Length; i++)
        {
            string name = spec.Env[i].Name;
            if (name.Contains('=', StringComparison.Ordinal))
            {
                context.Error(resource, $"spec.env[{i}].name", $"an environment variable name cannot contain '=', got \"{name}\"");
            }
            else if (name.Length > 0 && !variables.Add(name))
            {
                context.Warning(resource, $"spec.env[{i}].name", $"\"{name}\" is set twice; the last value wins");
            }
        }
        if (spec.ReadinessProbe is { HttpGet: null, TcpSocket: null })
        {
            context.Error(resource, "spec.readinessProbe", "a readiness probe needs httpGet or tcpSocket");
        }
    }
}
