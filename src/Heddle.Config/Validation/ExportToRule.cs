using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary><c>exportTo</c> entries are "." (this namespace), "*" (all), "~" (none) or namespace names.</summary>
internal sealed class ExportToRule : IResourceRule
{
    public void Check(Resource resource, RuleContext context)
    {
        var exportTo = resource switch
        {
            VirtualService virtualService => virtualService.Spec.ExportTo,
            DestinationRule rule => rule.Spec.ExportTo,
            ServiceEntry entry => entry.Spec.ExportTo,
            _ => [],
        };
        for (int i = 0; i < exportTo.Length; i++)
        {
            string value = exportTo[i];
            if (value is not ("." or "*" or "~") && !Names.IsDns1123Label(value))
            {
                context.Error(resource, $"spec.exportTo[{i}]", $"expected \".\", \"*\", \"~\" or a namespace name, got \"{value}\"");
            }
        }
    }
}
