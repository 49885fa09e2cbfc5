using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>
/// A LocalWorkload's readiness probe names a port it declares. A name it does not declare cannot be resolved (error);
/// an undeclared number still works but is probably a mistake (warning).
/// </summary>
internal sealed class ReadinessProbePortCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var workload in context.Config.LocalWorkloads)
        {
            var probe = workload.Spec.ReadinessProbe;
            if (probe?.HttpGet is { } httpGet)
            {
                CheckPort(context, workload, "spec.readinessProbe.httpGet.port", httpGet.Port);
            }
            if (probe?.TcpSocket is { } tcpSocket)
            {
                CheckPort(context, workload, "spec.readinessProbe.tcpSocket.port", tcpSocket.Port);
            }
        }
    }

    private static void CheckPort(AnalysisContext context, LocalWorkload workload, string path, IntOrString port)
    {
        var ports = workload.Spec.Ports;
        if (!port.IsNumber && !ports.Any(p => p.Name == port.Name))
        {
            context.Error(workload, path, $"port \"{port.Name}\" is not declared in spec.ports");
        }
        else if (port.IsNumber && !ports.Any(p => p.ContainerPort == port.Number))
        {
            context.Warning(workload, path, $"port {port.Number} is not declared in spec.ports");
        }
    }
}
