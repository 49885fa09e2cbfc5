namespace Heddle.Config.Model;

/// <summary>A route for opaque TCP traffic.</summary>
public sealed record TcpRoute
{
    /// <summary>Conditions, ORed; empty matches every connection.</summary>
    public ImmutableArray<L4MatchAttributes> Match { get; init; } = [];

    /// <summary>Weighted destinations.</summary>
    public ImmutableArray<RouteDestination> Route { get; init; } = [];
}
