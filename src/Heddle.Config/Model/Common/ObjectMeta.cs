using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Kubernetes object metadata: the resource's identity and its labels.</summary>
[IgnoredFields("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
    "deletionGracePeriodSeconds", "managedFields", "ownerReferences", "finalizers", "generateName", "selfLink")]
public sealed record ObjectMeta
{
    /// <summary>The resource name, unique per kind and namespace.</summary>
    [Required]
    public string Name { get; init; } = "";

    /// <summary>The namespace; "default" when the document does not say.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Labels, sorted by key.</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Annotations, sorted by key.</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
