namespace Heddle.Config.Model;

/// <summary>Rewrites the path or authority before forwarding.</summary>
public sealed record HttpRewrite
{
    /// <summary>Replaces the matched prefix of the path (or the whole path for an exact match).</summary>
    public string? Uri { get; init; }

    /// <summary>Replaces the authority (Host header).</summary>
    public string? Authority { get; init; }

    /// <summary>Rewrites the path with a regular expression.</summary>
    public RegexRewrite? UriRegexRewrite { get; init; }
}
