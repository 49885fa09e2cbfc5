using Heddle.Discovery.V1;

namespace Heddle.Proxy.Authorization;

/// <summary>A CUSTOM policy's external authorizer (an <c>envoyExtAuthzHttp</c> provider), compiled.</summary>
internal sealed class ExternalAuthorizerConfig
{
    private readonly PatternSet _includeHeaders;

    private ExternalAuthorizerConfig(AuthorizationProvider provider)
    {
        Name = provider.Name;
        Error = provider.Error.Length > 0 ? provider.Error : provider.Address.Length == 0 ? $"extension provider \"{provider.Name}\" has no address" : null;
        BaseAddress = provider.Address.TrimEnd('/') + NormalizePrefix(provider.PathPrefix);
        Timeout = TimeSpan.FromMilliseconds(provider.TimeoutMs == 0 ? 600_000 : provider.TimeoutMs);
        FailOpen = provider.FailOpen;
        StatusOnError = provider.StatusOnError == 0 ? StatusCodes.Status403Forbidden : (int)provider.StatusOnError;
        _includeHeaders = PatternSet.Parse(provider.IncludeRequestHeaders, ignoreCase: true);
        AdditionalHeaders = [.. provider.AdditionalHeaders.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (h.Key, h.Value))];
        HeadersToUpstream = [.. provider.HeadersToUpstream];
        HeadersToDownstreamOnDeny = [.. provider.HeadersToDownstream];
        HeadersToDownstreamOnAllow = [.. provider.HeadersToDownstreamOnAllow];
    }

    public string Name { get; }

    /// <summary>Why the authorizer cannot be called at all; null when it can.</summary>
    public string? Error { get; }

    /// <summary><c>http://host:port</c> plus the path prefix; the request's path and query follow.</summary>
    public string BaseAddress { get; }

    public TimeSpan Timeout { get; }

    public bool FailOpen { get; }

    public int StatusOnError { get; }

    public (string Name, string Value)[] AdditionalHeaders { get; }

    public string[] HeadersToUpstream { get; }

    public string[] HeadersToDownstreamOnDeny { get; }

    public string[] HeadersToDownstreamOnAllow { get; }

    public static ExternalAuthorizerConfig Compile(AuthorizationProvider provider) => new(provider);

    /// <summary>Whether a request header goes to the authorizer: Host, Content-Length and Authorization always do (as
    /// with Envoy), the others when <c>includeRequestHeadersInCheck</c> names them.</summary>
    public bool Includes(string header) =>
        header.Equals("authorization", StringComparison.OrdinalIgnoreCase) || (!_includeHeaders.IsEmpty && _includeHeaders.MatchesAny(header));

    private static string NormalizePrefix(string prefix) =>
        prefix.Length == 0 ? "" : prefix[0] == '/' ? prefix.TrimEnd('/') : "/" + prefix.TrimEnd('/');
}
