using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>With more than one destination, the weights of a route sum to 100 (each is 0..100, checked when binding).</summary>
internal sealed class RouteWeightsRule : ResourceRule<VirtualService>
{
    protected override void Check(VirtualService resource, RuleContext context)
    {
        var spec = resource.Spec;
        for (int i = 0; i < spec.Http.Length; i++)
        {
            var weights = spec.Http[i].Route.Select(d => d.Weight).ToList();
            CheckWeights(resource, $"spec.http[{i}].route", weights, context);
        }
        for (int i = 0; i < spec.Tcp.Length; i++)
        {
            CheckWeights(resource, $"spec.tcp[{i}].route", spec.Tcp[i].Route.Select(d => d.Weight).ToList(), context);
        }
        for (int i = 0; i < spec.Tls.Length; i++)
        {
            CheckWeights(resource, $"spec.tls[{i}].route", spec.Tls[i].Route.Select(d => d.Weight).ToList(), context);
        }
    }

    private static void CheckWeights(VirtualService resource, string path, List<int?> weights, RuleContext context)
    {
        if (weights.Count == 1 && weights[0] is { } single and not 100)
        {
            context.Warning(resource, $"{path}[0].weight", $"a single destination receives all traffic; weight {single} has no effect");
        }
        if (weights.Count < 2)
        {
            return;
        }
        int sum = weights.Sum(w => w ?? 0);
        if (sum != 100)
        {
            // Point at the last weight written: that is usually the one to fix.
            int last = weights.FindLastIndex(w => w is not null);
            string at = last < 0 ? path : $"{path}[{last}].weight";
            context.Error(resource, at, $"weights of a route must sum to 100, got {sum}");
        }
    }
}
