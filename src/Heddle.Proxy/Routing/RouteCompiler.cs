using System.Diagnostics.CodeAnalysis;
using Heddle.Discovery.V1;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Upstreams;
using Route = Heddle.Discovery.V1.Route;

namespace Heddle.Proxy.Routing;

/// <summary>Compiles a virtual host from the protocol into matchers and cluster pickers, or names the first problem.</summary>
internal static class RouteCompiler
{
    public static bool TryCompile(
        VirtualHost source,
        IReadOnlyDictionary<string, UpstreamCluster> clusters,
        [NotNullWhen(true)] out CompiledVirtualHost? virtualHost,
        [NotNullWhen(false)] out string? reason)
    {
        virtualHost = null;
        if (string.IsNullOrEmpty(source.Name))
        {
            reason = "a virtual host has no name";
            return false;
        }

        var domains = new string[source.Domains.Count];
        for (var d = 0; d < domains.Length; d++)
        {
            var domain = source.Domains[d];
            if (string.IsNullOrEmpty(domain) || !RouteTable.HasPort(domain))
            {
                reason = $"virtual host '{source.Name}': domain '{domain}' must be host:port";
                return false;
            }

            domains[d] = domain.ToLowerInvariant();
        }

        var routes = new CompiledRoute[source.Routes.Count];
        for (var r = 0; r < routes.Length; r++)
        {
            if (!TryCompileRoute(source.Name, r, source.Routes[r], clusters, out var route, out reason))
            {
                return false;
            }

            routes[r] = route;
        }

        virtualHost = new CompiledVirtualHost(source.Name, domains, routes, (int)source.Port);
        reason = null;
        return true;
    }

    private static bool TryCompileRoute(
        string hostName,
        int index,
        Route source,
        IReadOnlyDictionary<string, UpstreamCluster> clusters,
        [NotNullWhen(true)] out CompiledRoute? route,
        [NotNullWhen(false)] out string? reason)
    {
        route = null;
        var where = $"virtual host '{hostName}' route {index}" + (source.Name.Length > 0 ? $" ('{source.Name}')" : "");
        var answersItself = source.Redirect is not null || source.DirectResponse is not null;
        if (source.Clusters.Count == 0 && !answersItself)
        {
            reason = $"{where} has no destination";
            return false;
        }

        if (source.Clusters.Count > 0 && answersItself)
        {
            reason = $"{where} both forwards and answers itself";
            return false;
        }

        var targets = new UpstreamCluster[source.Clusters.Count];
        var weights = new uint[targets.Length];
        for (var c = 0; c < targets.Length; c++)
        {
            var weighted = source.Clusters[c];
            if (!clusters.TryGetValue(weighted.Cluster, out var cluster))
            {
                reason = $"{where} sends to cluster '{weighted.Cluster}', which is not in the configuration";
                return false;
            }

            targets[c] = cluster;
            weights[c] = weighted.Weight;
        }

        var matches = new CompiledRouteMatch[source.Matches.Count];
        for (var m = 0; m < matches.Length; m++)
        {
            if (!TryCompileMatch(source.Matches[m], out var match, out var problem))
            {
                reason = $"{where} match {m}: {problem}";
                return false;
            }

            matches[m] = match;
        }

        if (!RouteActionsCompiler.TryCompile(source, clusters, out var actions, out var actionProblem))
        {
            reason = $"{where}: {actionProblem}";
            return false;
        }

        var picker = targets.Length == 0 ? WeightedClusterPicker.None : new WeightedClusterPicker(targets, weights);
        route = new CompiledRoute(source.Name.Length > 0 ? source.Name : hostName + "#" + index, matches, picker, actions);
        reason = null;
        return true;
    }

    private static bool TryCompileMatch(RouteMatch source, [NotNullWhen(true)] out CompiledRouteMatch? match, [NotNullWhen(false)] out string? reason)
    {
        match = null;
        // Istio ignores case only for exact and prefix URI matches; a regex keeps its own (?i) flag.
        if (!TryCompileString(source.Uri, out var uri, out reason, source.IgnoreUriCase))
        {
            reason = "uri: " + reason;
            return false;
        }

        if (!TryCompileString(source.Method, out var method, out reason))
        {
            reason = "method: " + reason;
            return false;
        }

        if (!TryCompileString(source.Scheme, out var scheme, out reason))
        {
            reason = "scheme: " + reason;
            return false;
        }

        if (!TryCompileString(source.Authority, out var authority, out reason))
        {
            reason = "authority: " + reason;
            return false;
        }

        var headers = new HeaderMatcher[source.Headers.Count];
        for (var h = 0; h < headers.Length; h++)
        {
            var header = source.Headers[h];
            if (string.IsNullOrEmpty(header.Name))
            {
                reason = $"header {h} has no name";
                return false;
            }

            if (!TryCompileString(header.Value, out var value, out reason))
            {
                reason = $"header '{header.Name}': {reason}";
                return false;
            }

            headers[h] = new HeaderMatcher(header.Name.ToLowerInvariant(), value, header.Invert);
        }

        var queryParams = new QueryParamMatcher[source.QueryParams.Count];
        for (var q = 0; q < queryParams.Length; q++)
        {
            var parameter = source.QueryParams[q];
            if (string.IsNullOrEmpty(parameter.Name))
            {
                reason = $"query parameter {q} has no name";
                return false;
            }

            if (!TryCompileString(parameter.Value, out var value, out reason))
            {
                reason = $"query parameter '{parameter.Name}': {reason}";
                return false;
            }

            queryParams[q] = new QueryParamMatcher(parameter.Name, value);
        }

        match = new CompiledRouteMatch(uri, headers, method, scheme, authority, queryParams);
        return true;
    }

    /// <summary>An unset or empty <see cref="StringMatch"/> is no condition (null matcher).</summary>
    private static bool TryCompileString(StringMatch? source, out StringMatcher? matcher, [NotNullWhen(false)] out string? reason, bool ignoreCase = false)
    {
        reason = null;
        matcher = null;
        switch (source?.KindCase)
        {
            case StringMatch.KindOneofCase.Exact:
                matcher = StringMatcher.Exact(source.Exact, ignoreCase);
                return true;
            case StringMatch.KindOneofCase.Prefix:
                matcher = StringMatcher.Prefix(source.Prefix, ignoreCase);
                return true;
            case StringMatch.KindOneofCase.Regex:
                if (!StringMatcher.TryRegex(source.Regex, out matcher, out var error))
                {
                    reason = $"invalid regular expression '{source.Regex}': {error}";
                    return false;
                }

                return true;
            default:
                return true;
        }
    }
}
