using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>The MeshConfig's <c>extensionProviders</c>: names must be unique (the first one is used), and an
/// <c>envoyExtAuthzHttp</c> provider's service and port must exist, or every check against it fails.</summary>
internal sealed class ExtensionProviderCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        if (context.Config.MeshConfigs.IsEmpty)
        {
            return;
        }

        var mesh = context.Config.MeshConfigs[0];
        var providers = mesh.Spec.ExtensionProviders;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < providers.Length; i++)
        {
            var provider = providers[i];
            if (provider.Name is { } name && !seen.Add(name))
            {
                context.Warning(mesh, $"spec.extensionProviders[{i}].name", $"extension provider \"{name}\" is defined more than once; the first one is used");
            }

            if (provider.EnvoyExtAuthzHttp is not { Service: { Length: > 0 } service } http)
            {
                continue;
            }

            var slash = service.IndexOf('/', StringComparison.Ordinal);
            var (host, ns) = slash < 0 ? (service, mesh.Metadata.Namespace) : (service[(slash + 1)..], service[..slash]);
            var resolved = context.Catalog.Resolve(host, ns);
            if (resolved is null)
            {
                context.Warning(mesh, $"spec.extensionProviders[{i}].envoyExtAuthzHttp.service",
                    $"no Service or ServiceEntry {service}; requests that CUSTOM policies send to \"{provider.Name}\" get statusOnError (or pass, with failOpen)");
            }
            else if (!resolved.Ports.Any(p => p.Number == http.PortNumber))
            {
                context.Warning(mesh, $"spec.extensionProviders[{i}].envoyExtAuthzHttp.port",
                    $"{resolved.Hostname} has no port {http.PortNumber}; requests that CUSTOM policies send to \"{provider.Name}\" get statusOnError (or pass, with failOpen)");
            }
        }
    }
}
