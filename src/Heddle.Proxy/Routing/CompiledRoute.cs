using Heddle.Proxy.Routing.Actions;

namespace Heddle.Proxy.Routing;

/// <summary>A route ready for the request path: its alternatives, where matching requests go and what else it does.</summary>
internal sealed class CompiledRoute(string name, CompiledRouteMatch[] matches, WeightedClusterPicker clusters, RouteActions? actions = null)
{
    public string Name { get; } = name;

    /// <summary>Alternatives (OR); empty matches every request.</summary>
    public CompiledRouteMatch[] Matches { get; } = matches;

    /// <summary>Where requests go; <see cref="WeightedClusterPicker.None"/> for a route the proxy answers itself.</summary>
    public WeightedClusterPicker Clusters { get; } = clusters;

    /// <summary>Whether matching requests are forwarded to a cluster (not redirected or answered directly).</summary>
    public bool Forwards => Clusters.Count > 0;

    public RouteActions Actions { get; } = actions ?? RouteActions.Plain;

    public bool IsMatch(in RouteRequest request) => MatchIndex(request) >= 0;

    /// <summary>The index of the first alternative the request meets (0 when there are none), or -1.</summary>
    public int MatchIndex(in RouteRequest request)
    {
        var matches = Matches;
        if (matches.Length == 0)
        {
            return 0;
        }

        for (var i = 0; i < matches.Length; i++)
        {
            if (matches[i].IsMatch(request))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// How much of <paramref name="path"/> the alternative <paramref name="matchIndex"/> named, for a uri rewrite: the
    /// prefix of a prefix match, the whole path of an exact or regex match, "/" when it says nothing about the path.
    /// </summary>
    public int MatchedPathLength(int matchIndex, string path)
    {
        var uri = matchIndex >= 0 && matchIndex < Matches.Length ? Matches[matchIndex].Uri : null;
        if (uri is null)
        {
            return path.StartsWith('/') ? 1 : 0;
        }

        return uri.Kind == StringMatchKind.Prefix ? Math.Min(uri.Value.Length, path.Length) : path.Length;
    }
}
