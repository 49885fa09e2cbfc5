using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authentication;
using Heddle.Proxy.Authorization;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Discovery;

/// <summary>
/// Validates a resource set and compiles it into a <see cref="ProxySnapshot"/>, or names the first problem.
/// Clusters whose endpoints did not change keep their load balancer (and its position) from the previous snapshot.
/// </summary>
internal static class SnapshotBuilder
{
    public const string ClusterPrefix = "cluster/";
    public const string VirtualHostPrefix = "vhost/";
    public const string InboundName = "inbound";
    public const string SettingsName = "settings";
    public const string AuthorizationName = "authorization";
    public const string JwtName = "jwt";

    public static bool TryBuild(
        string version,
        IReadOnlyDictionary<string, Resource> resources,
        ProxySnapshot previous,
        Random random,
        [NotNullWhen(true)] out ProxySnapshot? snapshot,
        [NotNullWhen(false)] out string? reason,
        TimeProvider? timeProvider = null)
    {
        snapshot = null;
        var names = new List<string>(resources.Keys);
        names.Sort(StringComparer.Ordinal);

        var clusters = new Dictionary<string, UpstreamCluster>(StringComparer.Ordinal);
        var virtualHosts = new List<VirtualHost>();
        InboundListener? inbound = null;
        ProxySettings? settings = null;
        AuthorizationPolicies? authorization = null;
        JwtAuthentication? jwt = null;

        foreach (var name in names)
        {
            var resource = resources[name];
            switch (resource.KindCase)
            {
                case Resource.KindOneofCase.Cluster:
                    if (!ExpectName(name, ClusterPrefix + resource.Cluster.Name, out reason)
                        || !TryBuildCluster(resource.Cluster, previous, random, timeProvider ?? TimeProvider.System, out var cluster, out reason))
                    {
                        return false;
                    }

                    clusters.Add(cluster.Name, cluster);
                    break;
                case Resource.KindOneofCase.VirtualHost:
                    if (!ExpectName(name, VirtualHostPrefix + resource.VirtualHost.Name, out reason))
                    {
                        return false;
                    }

                    virtualHosts.Add(resource.VirtualHost);
                    break;
                case Resource.KindOneofCase.Inbound:
                    if (!ExpectName(name, InboundName, out reason))
                    {
                        return false;
                    }

                    inbound = resource.Inbound;
                    break;
                case Resource.KindOneofCase.Settings:
                    if (!ExpectName(name, SettingsName, out reason))
                    {
                        return false;
                    }

                    settings = resource.Settings;
                    break;
                case Resource.KindOneofCase.Authorization:
                    if (!ExpectName(name, AuthorizationName, out reason))
                    {
                        return false;
                    }

                    authorization = resource.Authorization;
                    break;
                case Resource.KindOneofCase.Jwt:
                    if (!ExpectName(name, JwtName, out reason))
                    {
                        return false;
                    }

                    jwt = resource.Jwt;
                    break;
                default:
                    reason = $"resource '{name}' has no content";
                    return false;
            }
        }

        if (!TryBuildRoutes(virtualHosts, clusters, out var routes, out reason)
            || !TryBuildInbound(inbound, out var inboundTable, out reason)
            || !TryBuildAuthorization(authorization, out var authorizationEngine, out reason)
            || !TryBuildJwt(jwt, out var jwtAuthenticator, out reason))
        {
            return false;
        }

        snapshot = new ProxySnapshot(
            version,
            resources,
            routes,
            clusters,
            inboundTable,
            settings?.OutboundTrafficPolicy ?? ProxySettings.Types.OutboundTrafficPolicy.AllowAny)
        {
            Authorization = authorizationEngine,
            Jwt = jwtAuthenticator,
        };
        return true;
    }

    private static bool TryBuildJwt(
        JwtAuthentication? authentication,
        [NotNullWhen(true)] out JwtAuthenticator? authenticator,
        [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        if (authentication is null)
        {
            authenticator = JwtAuthenticator.None;
            return true;
        }

        try
        {
            authenticator = JwtAuthenticator.Compile(authentication);
            return true;
        }
        catch (ArgumentException e)
        {
            authenticator = null;
            reason = $"jwt: {e.Message}";
            return false;
        }
    }

    private static bool TryBuildAuthorization(
        AuthorizationPolicies? policies,
        [NotNullWhen(true)] out AuthorizationEngine? engine,
        [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        if (policies is null)
        {
            engine = AuthorizationEngine.AllowAll;
            return true;
        }

        try
        {
            engine = AuthorizationEngine.Compile(policies);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            engine = null;
            reason = $"authorization: {e.Message}";
            return false;
        }
    }

    private static bool ExpectName(string name, string expected, [NotNullWhen(false)] out string? reason)
    {
        reason = name == expected ? null : $"resource '{name}' should be named '{expected}'";
        return reason is null;
    }

    private static bool TryBuildCluster(
        Cluster source,
        ProxySnapshot previous,
        Random random,
        TimeProvider timeProvider,
        [NotNullWhen(true)] out UpstreamCluster? cluster,
        [NotNullWhen(false)] out string? reason)
    {
        cluster = null;
        if (string.IsNullOrEmpty(source.Name))
        {
            reason = "a cluster has no name";
            return false;
        }

        if (previous.Clusters.TryGetValue(source.Name, out var before))
        {
            if (before.Source.Equals(source))
            {
                cluster = before;
                reason = null;
                return true;
            }

            if (UpstreamCluster.CanKeepEndpoints(before, source))
            {
                cluster = UpstreamCluster.Create(source, before, before.Endpoints, random, timeProvider);
                reason = null;
                return true;
            }
        }

        var protocol = UpstreamProtocols.FromPortProtocol(source.Protocol);
        var endpoints = new UpstreamEndpoint[source.Endpoints.Count];
        for (var i = 0; i < endpoints.Length; i++)
        {
            var endpoint = source.Endpoints[i];
            if (string.IsNullOrEmpty(endpoint.Address) || endpoint.Port is 0 or > 65535)
            {
                reason = $"cluster '{source.Name}': endpoint {i} needs an address and a port between 1 and 65535";
                return false;
            }

            if (endpoint.Sidecar.Length > 0 && !IsHostPort(endpoint.Sidecar))
            {
                reason = $"cluster '{source.Name}': endpoint {i} has sidecar '{endpoint.Sidecar}', expected ip:port";
                return false;
            }

            endpoints[i] = new UpstreamEndpoint(endpoint.Address, (int)endpoint.Port, endpoint.Sidecar, endpoint.Weight, protocol)
            {
                Priority = (int)Math.Min(endpoint.Priority, 31),
                Locality = endpoint.Locality,
                LocalityWeight = endpoint.LocalityWeight,
                Plaintext = endpoint.Sidecar.Length > 0 && endpoint.MtlsDisabled && source.Tls is { Automatic: true },
            };
        }

        cluster = UpstreamCluster.Create(source, before, endpoints, random, timeProvider);
        reason = null;
        return true;
    }

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }

    private static bool TryBuildRoutes(
        List<VirtualHost> virtualHosts,
        Dictionary<string, UpstreamCluster> clusters,
        [NotNullWhen(true)] out RouteTable? table,
        [NotNullWhen(false)] out string? reason)
    {
        table = null;
        var compiled = new CompiledVirtualHost[virtualHosts.Count];
        var byDomain = new Dictionary<string, CompiledVirtualHost>(StringComparer.OrdinalIgnoreCase);
        for (var v = 0; v < virtualHosts.Count; v++)
        {
            var source = virtualHosts[v];
            if (!RouteCompiler.TryCompile(source, clusters, out var virtualHost, out reason))
            {
                return false;
            }

            foreach (var domain in virtualHost.Domains)
            {
                if (!byDomain.TryAdd(domain, virtualHost))
                {
                    reason = $"domain '{domain}' belongs to virtual hosts '{byDomain[domain].Name}' and '{virtualHost.Name}'";
                    return false;
                }
            }

            compiled[v] = virtualHost;
        }

        table = new RouteTable(compiled, byDomain);
        reason = null;
        return true;
    }

    private static bool TryBuildInbound(
        InboundListener? inbound,
        [NotNullWhen(true)] out InboundTable? table,
        [NotNullWhen(false)] out string? reason)
    {
        table = null;
        if (inbound is null)
        {
            table = InboundTable.Empty;
            reason = null;
            return true;
        }

        if (inbound.Ports.Count > 0 && string.IsNullOrEmpty(inbound.AppAddress))
        {
            reason = "the inbound listener declares ports but no application address";
            return false;
        }

        if (inbound.AppAddress.Length > 0 && !IPAddress.TryParse(inbound.AppAddress, out _) && Uri.CheckHostName(inbound.AppAddress) == UriHostNameType.Unknown)
        {
            reason = $"the inbound application address '{inbound.AppAddress}' is not a host";
            return false;
        }

        var byPort = new Dictionary<int, InboundTarget>();
        foreach (var port in inbound.Ports)
        {
            if (port.Port is 0 or > 65535)
            {
                reason = $"inbound port {port.Port} is not between 1 and 65535";
                return false;
            }

            if (!byPort.TryAdd((int)port.Port, new InboundTarget(inbound.AppAddress, port)))
            {
                reason = $"inbound port {port.Port} is declared twice";
                return false;
            }
        }

        table = new InboundTable(inbound.AppAddress, byPort);
        reason = null;
        return true;
    }
}
