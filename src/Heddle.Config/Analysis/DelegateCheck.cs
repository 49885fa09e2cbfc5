using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>
/// A route that delegates names a VirtualService that exists, has no hosts, is exported to the root's namespace and does
/// not delegate further (Istio delegates one level); a delegate route whose match cannot narrow the root route's match
/// is dropped, which is reported as a warning.
/// </summary>
internal sealed class DelegateCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var root in context.Config.VirtualServices)
        {
            for (int i = 0; i < root.Spec.Http.Length; i++)
            {
                var rootRoute = root.Spec.Http[i];
                if (rootRoute.Delegate is not { Name: { Length: > 0 } name } target)
                {
                    continue;
                }
                string path = $"spec.http[{i}].delegate.name";
                string ns = target.Namespace ?? root.Metadata.Namespace;
                var @delegate = context.Config.VirtualServices.FirstOrDefault(v => v.Metadata.Name == name && v.Metadata.Namespace == ns);
                if (@delegate is null)
                {
                    context.Error(root, path, $"no VirtualService {ns}/{name} exists to delegate to");
                    continue;
                }
                if (!@delegate.Spec.Hosts.IsEmpty)
                {
                    context.Error(root, path, $"VirtualService {ns}/{name} ({@delegate.Source}) names hosts, so it is not a delegate and its routes are not used here; remove its hosts");
                    continue;
                }
                if (!DelegateMerge.IsExportedTo(@delegate, root.Metadata.Namespace))
                {
                    context.Error(root, path, $"VirtualService {ns}/{name} is not exported to namespace {root.Metadata.Namespace} (its exportTo is {string.Join(", ", @delegate.Spec.ExportTo)})");
                    continue;
                }
                CheckDelegateRoutes(context, root, rootRoute, @delegate);
            }
        }
    }

    private static void CheckDelegateRoutes(AnalysisContext context, VirtualService root, HttpRoute rootRoute, VirtualService @delegate)
    {
        string rootName = $"{root.Metadata.Namespace}/{root.Metadata.Name}";
        for (int j = 0; j < @delegate.Spec.Http.Length; j++)
        {
            var route = @delegate.Spec.Http[j];
            if (route.Delegate is not null)
            {
                context.Error(@delegate, $"spec.http[{j}].delegate", $"delegation is one level deep: this VirtualService is a delegate of {rootName}, so its routes may not delegate again");
            }
            else if (DelegateMerge.MergeMatches(rootRoute.Match, route.Match) is null)
            {
                context.Warning(@delegate, $"spec.http[{j}].match", $"this route is dropped under {rootName}: its match does not narrow the delegating route's match (a delegate's uri must lie under the root's prefix, and its other conditions must not contradict the root's)");
            }
        }
    }
}
