using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Answers a request with an HTTP redirect.</summary>
public sealed record HttpRedirect
{
    /// <summary>Replaces the whole path.</summary>
    public string? Uri { get; init; }

    /// <summary>Replaces the authority.</summary>
    public string? Authority { get; init; }

    /// <summary>Port of the redirect location.</summary>
    [OneOf("redirectPort"), PortNumber]
    public int? Port { get; init; }

    /// <summary>Derives the redirect port from the protocol or the request.</summary>
    [OneOf("redirectPort")]
    public RedirectPortSelection? DerivePort { get; init; }

    /// <summary>Scheme of the redirect location.</summary>
    public string? Scheme { get; init; }

    /// <summary>Status code; 301 when absent.</summary>
    [Between(300, 399)]
    public int? RedirectCode { get; init; }

    /// <summary>Replaces the matched prefix of the path.</summary>
    public string? PrefixRewrite { get; init; }
}
