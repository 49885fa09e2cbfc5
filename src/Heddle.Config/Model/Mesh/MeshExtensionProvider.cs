using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>One of Istio's <c>meshConfig.extensionProviders</c>; Heddle reads <c>envoyExtAuthzHttp</c> providers and
/// accepts the other kinds without using them.</summary>
[IgnoredFields("envoyExtAuthzGrpc", "zipkin", "lightstep", "datadog", "stackdriver", "opencensus", "skywalking",
    "opentelemetry", "prometheus", "envoyFileAccessLog", "envoyHttpAls", "envoyTcpAls", "envoyOtelAls", "sds")]
public sealed record MeshExtensionProvider
{
    /// <summary>The name a CUSTOM AuthorizationPolicy's <c>provider.name</c> refers to.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>An external authorizer called over HTTP, in the style of Envoy's ext_authz HTTP service.</summary>
    public EnvoyExternalAuthorizationHttpProvider? EnvoyExtAuthzHttp { get; init; }
}

/// <summary>Istio's <c>EnvoyExternalAuthorizationHttpProvider</c>. The request body is never sent.</summary>
[IgnoredFields("includeRequestBodyInCheck")]
public sealed record EnvoyExternalAuthorizationHttpProvider
{
    /// <summary>The authorizer's service: a Service or ServiceEntry host, <c>[namespace/]hostname</c>.</summary>
    [Required]
    public string? Service { get; init; }

    /// <summary>The service's port; Istio's examples quote it (<c>"8000"</c>), which is accepted.</summary>
    [Required]
    public IntOrString? Port { get; init; }

    /// <summary>The port as a number; 0 when it is not one.</summary>
    public int PortNumber => Port is { } port
        ? port.IsNumber ? port.Number : int.TryParse(port.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0
        : 0;

    /// <summary>How long to wait for the authorizer; 600s when absent (Istio's default).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Prepended to the original request's path in the check request.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>Allow the request when the authorizer cannot be reached or answers in error.</summary>
    public bool? FailOpen { get; init; }

    /// <summary>The status of the denial when the authorizer cannot be reached (403 when absent).</summary>
    public string? StatusOnError { get; init; }

    /// <summary>Request headers sent to the authorizer besides Host, Method, Path, Content-Length and Authorization;
    /// exact names, <c>prefix*</c> or <c>*suffix</c>.</summary>
    public ImmutableArray<string> IncludeRequestHeadersInCheck { get; init; } = [];

    /// <summary>Deprecated name of <c>includeRequestHeadersInCheck</c>.</summary>
    public ImmutableArray<string> IncludeHeadersInCheck { get; init; } = [];

    /// <summary>Headers added to the check request with fixed values.</summary>
    public ImmutableSortedDictionary<string, string> IncludeAdditionalHeadersInCheck { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Authorizer response headers set on the allowed request sent to the application.</summary>
    public ImmutableArray<string> HeadersToUpstreamOnAllow { get; init; } = [];

    /// <summary>Authorizer response headers set on the denial sent to the client.</summary>
    public ImmutableArray<string> HeadersToDownstreamOnDeny { get; init; } = [];

    /// <summary>Authorizer response headers set on the allowed response sent to the client.</summary>
    public ImmutableArray<string> HeadersToDownstreamOnAllow { get; init; } = [];
}
