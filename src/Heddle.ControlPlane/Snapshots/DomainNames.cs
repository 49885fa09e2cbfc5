using System.Globalization;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The <c>host:port</c> strings a request may carry for a service port, as a proxy in a given namespace sees
/// them: a Kubernetes Service answers to its short name only from its own namespace, and to
/// <c>name.ns</c>, <c>name.ns.svc</c> and its FQDN from everywhere; a ServiceEntry host only as written.</summary>
internal static class DomainNames
{
    public static IEnumerable<string> For(MeshService service, int port, string proxyNamespace)
    {
        var suffix = ":" + port.ToString(CultureInfo.InvariantCulture);
        if (service.KubernetesName is { } name)
        {
            if (service.Namespace == proxyNamespace)
            {
                yield return name + suffix;
            }

            var withNamespace = name + "." + service.Namespace.ToLowerInvariant();
            yield return withNamespace + suffix;
            yield return withNamespace + ".svc" + suffix;
        }

        yield return service.Hostname + suffix;
    }
}
