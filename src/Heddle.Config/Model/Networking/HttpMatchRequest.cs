using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Conditions a request must meet for a route to apply; all set fields must match.</summary>
public sealed record HttpMatchRequest
{
    /// <summary>Name of the match, appended to the route name in logs.</summary>
    public string? Name { get; init; }

    /// <summary>The path.</summary>
    public StringMatch? Uri { get; init; }

    /// <summary>The URI scheme.</summary>
    public StringMatch? Scheme { get; init; }

    /// <summary>The HTTP method.</summary>
    public StringMatch? Method { get; init; }

    /// <summary>The authority (Host header).</summary>
    public StringMatch? Authority { get; init; }

    /// <summary>Header conditions; keys are lower-case header names.</summary>
    public ImmutableSortedDictionary<string, StringMatch> Headers { get; init; } = ImmutableSortedDictionary.Create<string, StringMatch>(StringComparer.Ordinal);

    /// <summary>The port the request was addressed to.</summary>
    [PortNumber]
    public int? Port { get; init; }

    /// <summary>Labels the calling workload must have.</summary>
    public ImmutableSortedDictionary<string, string> SourceLabels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Gateways the match applies to, overriding the VirtualService's.</summary>
    public ImmutableArray<string> Gateways { get; init; } = [];

    /// <summary>Query parameter conditions.</summary>
    public ImmutableSortedDictionary<string, StringMatch> QueryParams { get; init; } = ImmutableSortedDictionary.Create<string, StringMatch>(StringComparer.Ordinal);

    /// <summary>Match the URI case-insensitively.</summary>
    public bool? IgnoreUriCase { get; init; }

    /// <summary>Headers that must not match.</summary>
    public ImmutableSortedDictionary<string, StringMatch> WithoutHeaders { get; init; } = ImmutableSortedDictionary.Create<string, StringMatch>(StringComparer.Ordinal);

    /// <summary>Namespace the calling workload must be in.</summary>
    public string? SourceNamespace { get; init; }

    /// <summary>Prefix for statistics of this match.</summary>
    public string? StatPrefix { get; init; }
}
