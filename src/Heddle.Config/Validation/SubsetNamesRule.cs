using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Subset names are unique within a DestinationRule.</summary>
internal sealed class SubsetNamesRule : ResourceRule<DestinationRule>
{
    protected override void Check(DestinationRule resource, RuleContext context)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < resource.Spec.Subsets.Length; i++)
        {
            string name = resource.Spec.Subsets[i].Name;
            if (name.Length > 0 && !seen.Add(name))
            {
                context.Error(resource, $"spec.subsets[{i}].name", $"subset \"{name}\" is declared twice");
            }
        }
    }
}
