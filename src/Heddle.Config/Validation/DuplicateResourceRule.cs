using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Two resources of the same kind, namespace and name: the first one wins, later ones are errors.</summary>
internal static class DuplicateResourceRule
{
    public static void Check(RuleContext context)
    {
        var first = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var resource in context.Loaded)
        {
            if (!first.TryAdd(resource.DisplayName, resource))
            {
                var original = first[resource.DisplayName];
                context.Error(resource, "metadata.name", $"{resource.DisplayName} is already defined at {original.Source.File}:{original.Source.Line}");
            }
        }
    }
}
