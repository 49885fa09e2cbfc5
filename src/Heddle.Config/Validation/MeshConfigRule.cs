using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>The mesh has one configuration: a second MeshConfig is an error (the first one applies).</summary>
internal sealed class MeshConfigRule : ResourceRule<MeshSettings>
{
    protected override void Check(MeshSettings resource, RuleContext context)
    {
        foreach (var other in context.Loaded)
        {
            if (other is MeshSettings first)
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
