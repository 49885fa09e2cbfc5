using Heddle.Config.Model;

namespace Heddle.Config;

/// <summary>A service known to the mesh, from a Kubernetes Service or one host of a ServiceEntry.</summary>
/// <param name="Hostname">The FQDN (<c>reviews.default.svc.cluster.local</c>) or ServiceEntry host as written (may be a wildcard).</param>
/// <param name="Namespace">The namespace of the defining resource.</param>
/// <param name="Definition">The <see cref="KubernetesService"/> or <see cref="ServiceEntry"/> that defines it.</param>
/// <param name="Ports">Its ports.</param>
public sealed record CatalogService(string Hostname, string Namespace, Resource Definition, ImmutableArray<CatalogPort> Ports);
