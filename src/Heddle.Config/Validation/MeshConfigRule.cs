using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>The mesh has one configuration: a second MeshConfig is an error (the first one applies).</summary>
internal sealed class MeshConfigRule : ResourceRule<MeshConfig>
{
    protected override void Check(MeshConfig resource, RuleContext context)
    {
        foreach (var other in context.Loaded)
        {
            if (other is MeshConfig first)
            {
                if (!ReferenceEquals(first, resource))
                {
                    context.Error(resource, "metadata.name", $"the mesh has one MeshConfig; {first.DisplayName} at {first.Source.File}:{first.Source.Line} already configures it");
                }

                return;
            }
        }
    }
}
