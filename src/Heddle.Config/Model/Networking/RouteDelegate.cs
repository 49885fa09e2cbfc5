namespace Heddle.Config.Model;

/// <summary>Names the VirtualService whose routes handle the request (Istio's <c>Delegate</c>).</summary>
public sealed record RouteDelegate
{
    /// <summary>The delegate VirtualService's name.</summary>
    public string? Name { get; init; }

    /// <summary>Its namespace; the delegating resource's namespace when absent.</summary>
    public string? Namespace { get; init; }
}
