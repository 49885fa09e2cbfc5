using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>
/// How a string is matched: exactly, by prefix, or by an RE2 regular expression (whole string). With none set, any
/// value matches — for a header, that means the header is present.
/// </summary>
public sealed record StringMatch
{
    /// <summary>The string equals this value.</summary>
    [OneOf("matchType")]
    public string? Exact { get; init; }

    /// <summary>The string starts with this value.</summary>
    [OneOf("matchType")]
    public string? Prefix { get; init; }

    /// <summary>The whole string matches this RE2 expression.</summary>
    [OneOf("matchType"), Re2Regex]
    public string? Regex { get; init; }
}
