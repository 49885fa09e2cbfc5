using Heddle.Config;
using Heddle.Config.Model;
using ConfigStringMatch = Heddle.Config.Model.StringMatch;
using HeaderMatch = Heddle.Discovery.V1.HeaderMatch;
using ProtoStringMatch = Heddle.Discovery.V1.StringMatch;
using QueryParamMatch = Heddle.Discovery.V1.QueryParamMatch;
using RouteMatch = Heddle.Discovery.V1.RouteMatch;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>
/// Turns one VirtualService match into a route match for one proxy and port. Conditions about the caller
/// (sourceLabels, sourceNamespace, gateways) and the port are decided here, for this proxy: a match that cannot hold
/// here is left out. Every condition about the request itself (uri, ignoreUriCase, scheme, method, authority, headers,
/// withoutHeaders, queryParams) goes to the proxy, which enforces it.
/// </summary>
internal static class MatchTranslator
{
    /// <summary>Header keys Istio ignores in <c>headers</c> and <c>withoutHeaders</c>: they name request properties
    /// that have fields of their own.</summary>
    public static readonly IReadOnlySet<string> IgnoredHeaderKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "uri", "scheme", "method", "authority" };

    public static RouteMatch? Translate(HttpMatchRequest match, int port, ProxyContext proxy)
    {
        if ((match.Port is int matchPort && matchPort != port)
            || !RuleSelection.AppliesToSidecars(match.Gateways)
            || (match.SourceNamespace is { } sourceNamespace && sourceNamespace != proxy.Namespace)
            || !LabelSelectors.Matches(match.SourceLabels, proxy.Labels))
        {
            return null;
        }

        var translated = new RouteMatch
        {
            Uri = Convert(match.Uri),
            Method = Convert(match.Method),
            Scheme = Convert(match.Scheme),
            Authority = Convert(match.Authority),
            IgnoreUriCase = match.IgnoreUriCase == true,
        };

        foreach (var (name, value) in match.Headers)
        {
            if (!IgnoredHeaderKeys.Contains(name))
            {
                translated.Headers.Add(Header(name, value, invert: false));
            }
        }

        foreach (var (name, value) in match.WithoutHeaders)
        {
            if (!IgnoredHeaderKeys.Contains(name))
            {
                translated.Headers.Add(Header(name, value, invert: true));
            }
        }

        foreach (var (name, value) in match.QueryParams)
        {
            // An empty match ({}) asks only for the parameter to be present.
            translated.QueryParams.Add(new QueryParamMatch { Name = name, Value = Convert(value) });
        }

        return translated;
    }

    private static HeaderMatch Header(string name, ConfigStringMatch value, bool invert) => new()
    {
        Name = name.ToLowerInvariant(),
        // An empty match ({}) asks only for the header to be present.
        Value = Convert(value),
        Invert = invert,
    };

    /// <summary>The protocol's form of a match; null (no condition) when nothing is set.</summary>
    private static ProtoStringMatch? Convert(ConfigStringMatch? match)
    {
        if (match is null)
        {
            return null;
        }

        if (match.Exact is { } exact)
        {
            return new ProtoStringMatch { Exact = exact };
        }

        if (match.Prefix is { } prefix)
        {
            return new ProtoStringMatch { Prefix = prefix };
        }

        return match.Regex is { } regex ? new ProtoStringMatch { Regex = regex } : null;
    }
}
