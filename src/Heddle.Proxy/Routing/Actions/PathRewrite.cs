using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>
/// Istio's <c>rewrite.uri</c> and <c>rewrite.uriRegexRewrite</c>. A uri rewrite replaces what the match named: the
/// prefix of a prefix match, the whole path of an exact or regex match, and "/" when the match says nothing about the
/// path (as Envoy's catch-all prefix "/").
/// </summary>
internal sealed class PathRewrite
{
    private readonly string? _replacement;
    private readonly Regex? _regex;
    private readonly string? _substitution;

    private PathRewrite(string? replacement, Regex? regex, string? substitution)
    {
        _replacement = replacement;
        _regex = regex;
        _substitution = substitution;
    }

    public static PathRewrite Prefix(string replacement) => new(replacement, null, null);

    public static bool TryRegex(string pattern, string substitution, [NotNullWhen(true)] out PathRewrite? rewrite, [NotNullWhen(false)] out string? error)
    {
        rewrite = null;
        try
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            rewrite = new PathRewrite(null, regex, ToDotNetSubstitution(substitution));
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// The new path. <paramref name="matchedLength"/> is how much of the path the match covered:
    /// the prefix length for a prefix match, the whole path otherwise.
    /// </summary>
    public string Apply(string path, int matchedLength)
    {
        if (_regex is not null)
        {
            return _regex.Replace(path, _substitution!);
        }

        var keep = Math.Clamp(matchedLength, 0, path.Length);
        return string.Concat(_replacement, path.AsSpan(keep));
    }

    /// <summary>RE2 substitutions name groups as \1; .NET as $1, and a literal $ is $$.</summary>
    internal static string ToDotNetSubstitution(string substitution)
    {
        var builder = new StringBuilder(substitution.Length + 4);
        for (var i = 0; i < substitution.Length; i++)
        {
            var c = substitution[i];
            if (c == '$')
            {
                builder.Append("$$");
            }
            else if (c == '\\' && i + 1 < substitution.Length && char.IsAsciiDigit(substitution[i + 1]))
            {
                builder.Append("${").Append(substitution[i + 1]).Append('}');
                i++;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
