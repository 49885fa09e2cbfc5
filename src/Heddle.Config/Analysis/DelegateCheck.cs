namespace Heddle.Config.Analysis;

/// <summary>A route that delegates names a VirtualService that exists.</summary>
internal sealed class DelegateCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var virtualService in context.Config.VirtualServices)
        {
            for (int i = 0; i < virtualService.Spec.Http.Length; i++)
            {
                if (virtualService.Spec.Http[i].Delegate is not { Name: { Length: > 0 } name } target)
                {
                    continue;
                }
                string ns = target.Namespace ?? virtualService.Metadata.Namespace;
                if (!context.Config.VirtualServices.Any(v => v.Metadata.Name == name && v.Metadata.Namespace == ns))
                {
                    context.Error(virtualService, $"spec.http[{i}].delegate.name", $"no VirtualService {ns}/{name} exists to delegate to");
                }
            }
        }
    }
}
