namespace Heddle.Config;

/// <summary>Kubernetes equality-based label selection, shared by Service selectors, subsets and workload selectors.</summary>
public static class LabelSelectors
{
    /// <summary>True when <paramref name="labels"/> has every key of <paramref name="selector"/> with the same value; an empty selector matches everything.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out string? actual) || actual != value)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Formats a selector as <c>app=reviews,version=v1</c>.</summary>
    public static string Format(IReadOnlyDictionary<string, string> selector) =>
        string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
