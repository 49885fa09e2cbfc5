namespace Heddle.Config.Analysis;

/// <summary>A Service selector (or ServiceEntry workloadSelector) that selects no workload leaves the service without endpoints.</summary>
internal sealed class ServiceSelectorCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var service in context.Config.Services)
        {
            var selector = service.Spec.Selector;
            if (!selector.IsEmpty && !context.Catalog.WorkloadsSelectedBy(selector, service.Metadata.Namespace).Any())
            {
                context.Warning(service, "spec.selector",
                    $"selector {LabelSelectors.Format(selector)} matches no LocalWorkload or WorkloadEntry in namespace {service.Metadata.Namespace}; the service has no endpoints");
            }
        }
        foreach (var entry in context.Config.ServiceEntries)
        {
            if (entry.Spec.WorkloadSelector is { Labels: { IsEmpty: false } labels }
                && !context.Catalog.WorkloadsSelectedBy(labels, entry.Metadata.Namespace).Any())
            {
                context.Warning(entry, "spec.workloadSelector.labels",
                    $"selector {LabelSelectors.Format(labels)} matches no LocalWorkload or WorkloadEntry in namespace {entry.Metadata.Namespace}; the service has no endpoints");
            }
        }
    }
}
