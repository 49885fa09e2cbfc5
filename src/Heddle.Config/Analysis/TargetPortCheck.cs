namespace Heddle.Config.Analysis;

/// <summary>A Service's named targetPort is declared by the LocalWorkloads it selects; otherwise it cannot be resolved to a number.</summary>
internal sealed class TargetPortCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var service in context.Config.Services)
        {
            if (service.Spec.Selector.IsEmpty)
            {
                continue;
            }
            var workloads = context.Config.LocalWorkloads
                .Where(w => w.Metadata.Namespace == service.Metadata.Namespace && LabelSelectors.Matches(service.Spec.Selector, w.Labels))
                .ToList();
            for (int i = 0; i < service.Spec.Ports.Length; i++)
            {
                if (service.Spec.Ports[i].TargetPort is not { IsNumber: false, Name: { } name })
                {
                    continue;
                }
                foreach (var workload in workloads.Where(w => !w.Spec.Ports.Any(p => p.Name == name)))
                {
                    context.Warning(service, $"spec.ports[{i}].targetPort",
                        $"targetPort \"{name}\" is not a port name of LocalWorkload {workload.Metadata.Namespace}/{workload.Metadata.Name}");
                }
            }
        }
    }
}
