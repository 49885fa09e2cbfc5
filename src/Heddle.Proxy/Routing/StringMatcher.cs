using System.Text.RegularExpressions;

namespace Heddle.Proxy.Routing;

/// <summary>An exact, prefix or full-string regular-expression match, compiled once per snapshot.</summary>
internal sealed class StringMatcher
{
    private readonly StringMatchKind _kind;
    private readonly string _value;
    private readonly Regex? _regex;
    private readonly StringComparison _comparison;

    private StringMatcher(StringMatchKind kind, string value, Regex? regex, bool ignoreCase = false)
    {
        _kind = kind;
        _value = value;
        _regex = regex;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    public StringMatchKind Kind => _kind;

    public string Value => _value;

    /// <summary>Whether exact and prefix comparisons ignore case (Istio's ignoreUriCase); never set for a regex.</summary>
    public bool IgnoreCase => _comparison == StringComparison.OrdinalIgnoreCase;

    public static StringMatcher Exact(string value, bool ignoreCase = false) => new(StringMatchKind.Exact, value, null, ignoreCase);

    public static StringMatcher Prefix(string value, bool ignoreCase = false) => new(StringMatchKind.Prefix, value, null, ignoreCase);

    /// <summary>
    /// A regular expression that must match the whole input, as Envoy's RE2 matchers do. The non-backtracking
    /// engine keeps matching linear in the input length, so a pushed pattern cannot stall the request path.
    /// </summary>
    public static bool TryRegex(string pattern, out StringMatcher? matcher, out string? error)
    {
        try
        {
            var regex = new Regex(
                @"\A(?:" + pattern + @")\z",
                RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            matcher = new StringMatcher(StringMatchKind.Regex, pattern, regex);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            matcher = null;
            error = e.Message;
            return false;
        }
        catch (NotSupportedException e)
        {
            matcher = null;
            error = e.Message;
            return false;
        }
    }

    public bool IsMatch(ReadOnlySpan<char> input) => _kind switch
    {
        StringMatchKind.Exact => input.Equals(_value, _comparison),
        StringMatchKind.Prefix => input.StartsWith(_value, _comparison),
        _ => _regex!.IsMatch(input),
    };
}

internal enum StringMatchKind
{
    Exact,
    Prefix,
    Regex,
}
