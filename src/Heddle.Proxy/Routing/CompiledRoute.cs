namespace Heddle.Proxy.Routing;

/// <summary>A route ready for the request path: its alternatives and where matching requests go.</summary>
internal sealed class CompiledRoute(string name, CompiledRouteMatch[] matches, WeightedClusterPicker clusters)
{
    public string Name { get; } = name;

    /// <summary>Alternatives (OR); empty matches every request.</summary>
    public CompiledRouteMatch[] Matches { get; } = matches;

    public WeightedClusterPicker Clusters { get; } = clusters;

    public bool IsMatch(in RouteRequest request)
    {
        var matches = Matches;
        if (matches.Length == 0)
        {
            return true;
        }

        for (var i = 0; i < matches.Length; i++)
        {
            if (matches[i].IsMatch(request))
            {
                return true;
            }
        }

        return false;
    }
}
