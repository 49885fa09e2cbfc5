namespace Heddle.Config;

/// <summary>A port of a service in the <see cref="ServiceCatalog"/>.</summary>
/// <param name="Number">The service port.</param>
/// <param name="Name">The port name, if any.</param>
/// <param name="Protocol">The protocol as written (Kubernetes <c>appProtocol</c> or <c>protocol</c>, Istio <c>protocol</c>).</param>
public sealed record CatalogPort(int Number, string? Name, string? Protocol);
