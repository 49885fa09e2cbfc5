using System.Collections.Immutable;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Label selection as Kubernetes and Istio define it: every selector entry must be among the labels.</summary>
internal static class Labels
{
    public static bool Match(ImmutableSortedDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}
