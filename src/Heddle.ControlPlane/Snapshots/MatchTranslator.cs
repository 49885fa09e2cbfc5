using Heddle.Config.Model;
using ConfigStringMatch = Heddle.Config.Model.StringMatch;
using ProtoStringMatch = Heddle.Discovery.V1.StringMatch;
using RouteMatch = Heddle.Discovery.V1.RouteMatch;
using HeaderMatch = Heddle.Discovery.V1.HeaderMatch;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Turns one VirtualService match into a route match for one proxy and port. Conditions about the caller
/// (sourceLabels, sourceNamespace, gateways) and the port are decided here, for this proxy; a match that cannot hold
/// here, or that needs a condition the proxy cannot check (scheme, method, authority, query parameters, case-insensitive
/// URIs), is left out, so that a route never matches more requests than its author wrote.</summary>
internal static class MatchTranslator
{
    public static RouteMatch? Translate(HttpMatchRequest match, int port, ProxyContext proxy)
    {
        if ((match.Port is int matchPort && matchPort != port)
            || !RuleSelection.AppliesToSidecars(match.Gateways)
            || (match.SourceNamespace is { } sourceNamespace && sourceNamespace != proxy.Namespace)
            || !Labels.Match(match.SourceLabels, proxy.Labels)
            || match.Scheme is not null || match.Method is not null || match.Authority is not null
            || !match.QueryParams.IsEmpty || match.IgnoreUriCase == true)
        {
            return null;
        }

        var translated = new RouteMatch();
        if (match.Uri is { } uri && !IsEmpty(uri))
        {
            translated.Uri = Convert(uri);
        }

        foreach (var (name, value) in match.Headers)
        {
            translated.Headers.Add(Header(name, value, invert: false));
        }

        foreach (var (name, value) in match.WithoutHeaders)
        {
            translated.Headers.Add(Header(name, value, invert: true));
        }

        return translated;
    }

    private static HeaderMatch Header(string name, ConfigStringMatch value, bool invert) => new()
    {
        Name = name.ToLowerInvariant(),
        // An empty match ({}) asks only for the header to be present.
        Value = IsEmpty(value) ? null : Convert(value),
        Invert = invert,
    };

    private static bool IsEmpty(ConfigStringMatch match) => match.Exact is null && match.Prefix is null && match.Regex is null;

    private static ProtoStringMatch Convert(ConfigStringMatch match)
    {
        var converted = new ProtoStringMatch();
        if (match.Exact is { } exact)
        {
            converted.Exact = exact;
        }
        else if (match.Prefix is { } prefix)
        {
            converted.Prefix = prefix;
        }
        else if (match.Regex is { } regex)
        {
            converted.Regex = regex;
        }

        return converted;
    }
}
