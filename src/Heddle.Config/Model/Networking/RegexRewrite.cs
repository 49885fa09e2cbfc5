using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A regular-expression rewrite: matches of <see cref="Match"/> are replaced by <see cref="Rewrite"/> (<c>\1</c> for groups).</summary>
public sealed record RegexRewrite
{
    /// <summary>The RE2 expression.</summary>
    [Re2Regex]
    public string? Match { get; init; }

    /// <summary>The replacement.</summary>
    public string? Rewrite { get; init; }
}
