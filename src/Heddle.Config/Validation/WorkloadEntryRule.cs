using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A WorkloadEntry has an address (or a network), and a Unix socket address has no ports.</summary>
internal sealed class WorkloadEntryRule : ResourceRule<WorkloadEntry>
{
    protected override void Check(WorkloadEntry resource, RuleContext context)
    {
        var spec = resource.Spec;
        if (string.IsNullOrEmpty(spec.Address) && string.IsNullOrEmpty(spec.Network))
        {
            context.Error(resource, "spec.address", "required field is missing");
        }
        if (spec.Address?.StartsWith("unix://", StringComparison.Ordinal) == true && !spec.Ports.IsEmpty)
        {
            context.Error(resource, "spec.ports", "a Unix socket address cannot have ports");
        }
        foreach (string name in spec.Ports.Keys)
        {
            if (!Names.IsDns1123Label(name.ToLowerInvariant()))
            {
                context.Error(resource, FieldPath.Key("spec.ports", name), $"invalid port name \"{name}\"");
            }
        }
    }
}
