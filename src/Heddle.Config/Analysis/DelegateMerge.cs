using System.Collections.Immutable;
using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>
/// How Istio merges a delegate VirtualService's route under the root route that delegates to it. A delegate match must
/// narrow a root match (a prefix under the root's prefix, the same exact value, a regex only where the other side has
/// no condition, no header, query or label value that differs…); such a pair is merged field by field, the delegate's
/// value winning where both are set, so the result requires both. A delegate route one of whose matches narrows no
/// root match is dropped. Settings the delegate route leaves out (rewrite, timeout, retries, fault, mirror, CORS,
/// headers) come from the root route. The control plane builds routes with it; the analyzer warns about dropped ones.
/// </summary>
public static class DelegateMerge
{
    /// <summary>The delegate route under the root route; null when their matches conflict.</summary>
    public static HttpRoute? Merge(HttpRoute root, HttpRoute leaf)
    {
        if (MergeMatches(root.Match, leaf.Match) is not { } matches)
        {
            return null;
        }

        return leaf with
        {
            Match = matches,
            Name = leaf.Name is null ? root.Name : root.Name is null ? leaf.Name : $"{root.Name}-{leaf.Name}",
            Rewrite = leaf.Rewrite ?? root.Rewrite,
            Timeout = leaf.Timeout ?? root.Timeout,
            Retries = leaf.Retries ?? root.Retries,
            Fault = leaf.Fault ?? root.Fault,
            Mirror = leaf.Mirror ?? root.Mirror,
            MirrorPercent = leaf.MirrorPercent ?? root.MirrorPercent,
            MirrorPercentage = leaf.MirrorPercentage ?? root.MirrorPercentage,
            Mirrors = leaf.Mirrors.IsEmpty ? root.Mirrors : leaf.Mirrors,
            CorsPolicy = leaf.CorsPolicy ?? root.CorsPolicy,
            Headers = leaf.Headers ?? root.Headers,
        };
    }

    /// <summary>Every delegate match paired with every root match it narrows; null (conflict) when a delegate match
    /// narrows none.</summary>
    public static ImmutableArray<HttpMatchRequest>? MergeMatches(ImmutableArray<HttpMatchRequest> root, ImmutableArray<HttpMatchRequest> leaf)
    {
        if (root.IsEmpty)
        {
            return leaf;
        }

        if (leaf.IsEmpty)
        {
            return root;
        }

        var merged = ImmutableArray.CreateBuilder<HttpMatchRequest>();
        foreach (var leafMatch in leaf)
        {
            var found = false;
            foreach (var rootMatch in root)
            {
                if (!Conflict(rootMatch, leafMatch))
                {
                    merged.Add(MergeMatch(rootMatch, leafMatch));
                    found = true;
                }
            }

            if (!found)
            {
                return null;
            }
        }

        return merged.ToImmutable();
    }

    private static HttpMatchRequest MergeMatch(HttpMatchRequest root, HttpMatchRequest leaf) => leaf with
    {
        Name = leaf.Name is null ? root.Name : root.Name is null ? leaf.Name : $"{root.Name}-{leaf.Name}",
        Uri = leaf.Uri ?? root.Uri,
        Scheme = leaf.Scheme ?? root.Scheme,
        Method = leaf.Method ?? root.Method,
        Authority = leaf.Authority ?? root.Authority,
        Headers = Union(leaf.Headers, root.Headers),
        WithoutHeaders = Union(leaf.WithoutHeaders, root.WithoutHeaders),
        QueryParams = Union(leaf.QueryParams, root.QueryParams),
        SourceLabels = Union(leaf.SourceLabels, root.SourceLabels),
        Port = leaf.Port ?? root.Port,
        SourceNamespace = leaf.SourceNamespace ?? root.SourceNamespace,
        Gateways = leaf.Gateways.IsEmpty ? root.Gateways : leaf.Gateways,
    };

    /// <summary>Whether the delegate's match cannot be a narrowing of the root's.</summary>
    private static bool Conflict(HttpMatchRequest root, HttpMatchRequest leaf)
    {
        if (Conflict(root.Uri, leaf.Uri) || Conflict(root.Scheme, leaf.Scheme)
            || Conflict(root.Method, leaf.Method) || Conflict(root.Authority, leaf.Authority))
        {
            return true;
        }

        foreach (var (key, value) in leaf.Headers)
        {
            if (Conflict(root.Headers.GetValueOrDefault(key), value))
            {
                return true;
            }
        }

        foreach (var (key, value) in leaf.WithoutHeaders)
        {
            if (Conflict(root.WithoutHeaders.GetValueOrDefault(key), value))
            {
                return true;
            }
        }

        foreach (var (key, value) in leaf.QueryParams)
        {
            if (Conflict(root.QueryParams.GetValueOrDefault(key), value))
            {
                return true;
            }
        }

        if ((root.IgnoreUriCase ?? false) != (leaf.IgnoreUriCase ?? false)
            || (root.Port is int rootPort && leaf.Port is int leafPort && rootPort != leafPort)
            || (root.SourceNamespace is { } ns && leaf.SourceNamespace != ns))
        {
            return true;
        }

        foreach (var (key, value) in leaf.SourceLabels)
        {
            if (root.SourceLabels.TryGetValue(key, out var rootValue) && rootValue != value)
            {
                return true;
            }
        }

        if (!root.Gateways.IsEmpty && !leaf.Gateways.IsEmpty)
        {
            foreach (var gateway in leaf.Gateways)
            {
                if (!root.Gateways.Contains(gateway))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a delegate condition cannot narrow the root's: a regex only combines with no condition, an
    /// exact value must be the same, a prefix or exact value must start with the root's prefix.</summary>
    private static bool Conflict(StringMatch? root, StringMatch? leaf)
    {
        if (root is null || leaf is null)
        {
            return false;
        }

        var rootSet = root.Regex is not null || root.Prefix is not null || root.Exact is not null;
        var leafSet = leaf.Regex is not null || leaf.Prefix is not null || leaf.Exact is not null;
        if ((root.Regex is not null && leafSet) || (leaf.Regex is not null && rootSet))
        {
            return true;
        }

        if (root.Exact is { } exact && (leaf.Prefix is not null || leaf.Exact != exact))
        {
            return true;
        }

        return root.Prefix is { } prefix
            && ((leaf.Prefix is { } leafPrefix && !leafPrefix.StartsWith(prefix, StringComparison.Ordinal))
                || (leaf.Exact is { } leafExact && !leafExact.StartsWith(prefix, StringComparison.Ordinal)));
    }

    private static ImmutableSortedDictionary<string, T> Union<T>(ImmutableSortedDictionary<string, T> leaf, ImmutableSortedDictionary<string, T> root)
    {
        var result = leaf;
        foreach (var (key, value) in root)
        {
            if (!result.ContainsKey(key))
            {
                result = result.Add(key, value);
            }
        }

        return result;
    }

    /// <summary>A delegate's exportTo decides which roots may use it: "." its own namespace, a name that namespace.</summary>
    public static bool IsExportedTo(VirtualService @delegate, string rootNamespace)
    {
        var exportTo = @delegate.Spec.ExportTo;
        if (exportTo.IsEmpty)
        {
            return true;
        }

        foreach (var target in exportTo)
        {
            if (target == "*" || target == rootNamespace || (target == "." && @delegate.Metadata.Namespace == rootNamespace))
            {
                return true;
            }
        }

        return false;
    }
}
