using System.Collections.Immutable;
using System.Globalization;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>
/// The external authorizer of a CUSTOM AuthorizationPolicy: the mesh config's <c>extensionProviders</c> entry it names,
/// with the provider's service resolved to one of its endpoints. A provider that cannot be resolved carries an error
/// and every check against it fails (denied, or allowed when <c>failOpen</c>).
/// </summary>
internal static class AuthorizationProviders
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(600);

    public static AuthorizationProvider Resolve(string? name, string policyNamespace, EndpointCatalog catalog)
    {
        var provider = new AuthorizationProvider { Name = name ?? "" };
        var found = Find(name, catalog.Config);
        if (found?.EnvoyExtAuthzHttp is not { } http)
        {
            provider.Error = found is null
                ? $"no extension provider \"{name}\" in the mesh config"
                : $"extension provider \"{name}\" is not an envoyExtAuthzHttp provider";
            provider.TimeoutMs = 1;
            return provider;
        }

        provider.PathPrefix = http.PathPrefix ?? "";
        provider.TimeoutMs = (uint)Math.Clamp((http.Timeout ?? DefaultTimeout).TotalMilliseconds, 1, uint.MaxValue);
        provider.FailOpen = http.FailOpen ?? false;
        provider.StatusOnError = uint.TryParse(http.StatusOnError, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599 ? status : 0;
        AddLower(provider.IncludeRequestHeaders, http.IncludeRequestHeadersInCheck.IsEmpty ? http.IncludeHeadersInCheck : http.IncludeRequestHeadersInCheck);
        foreach (var (header, value) in http.IncludeAdditionalHeadersInCheck)
        {
            provider.AdditionalHeaders[header.ToLowerInvariant()] = value;
        }

        AddLower(provider.HeadersToUpstream, http.HeadersToUpstreamOnAllow);
        AddLower(provider.HeadersToDownstream, http.HeadersToDownstreamOnDeny);
        AddLower(provider.HeadersToDownstreamOnAllow, http.HeadersToDownstreamOnAllow);

        var service = http.Service ?? "";
        var slash = service.IndexOf('/', StringComparison.Ordinal);
        var (host, @namespace) = slash < 0 ? (service, policyNamespace) : (service[(slash + 1)..], service[..slash]);
        var port = http.PortNumber;
        var meshService = catalog.Resolve(host, @namespace);
        var servicePort = meshService?.FindPort(port);
        if (servicePort is null)
        {
            provider.Error = meshService is null
                ? $"extension provider \"{name}\": no service {service}"
                : $"extension provider \"{name}\": service {service} has no port {port}";
            return provider;
        }

        foreach (var endpoint in servicePort.Endpoints)
        {
            if (endpoint.Address.Length > 0)
            {
                var address = endpoint.Address.Contains(':', StringComparison.Ordinal) ? "[" + endpoint.Address + "]" : endpoint.Address;
                provider.Address = "http://" + address + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
                return provider;
            }
        }

        provider.Error = $"extension provider \"{name}\": service {service} port {port} has no endpoint";
        return provider;
    }

    private static MeshExtensionProvider? Find(string? name, ConfigSet config)
    {
        if (config.MeshConfigs.IsEmpty || name is null)
        {
            return null;
        }

        foreach (var provider in config.MeshConfigs[0].Spec.ExtensionProviders)
        {
            if (provider.Name == name)
            {
                return provider;
            }
        }

        return null;
    }

    private static void AddLower(Google.Protobuf.Collections.RepeatedField<string> target, ImmutableArray<string> names)
    {
        foreach (var name in names)
        {
            target.Add(name.ToLowerInvariant());
        }
    }
}
