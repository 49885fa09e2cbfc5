using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A route for TLS traffic passed through unterminated, matched by SNI.</summary>
public sealed record TlsRoute
{
    /// <summary>Conditions, ORed.</summary>
    [Required]
    public ImmutableArray<TlsMatchAttributes> Match { get; init; } = [];

    /// <summary>Weighted destinations.</summary>
    public ImmutableArray<RouteDestination> Route { get; init; } = [];
}
