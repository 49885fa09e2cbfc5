namespace Heddle.Proxy.Authorization;

/// <summary>One of Istio's authorization string patterns: <c>*</c> (any value that is present), <c>prefix*</c>,
/// <c>*suffix</c>, or an exact value. An absent value (null) matches no pattern.</summary>
internal readonly struct ValuePattern
{
    private enum Kind : byte
    {
        Exact,
        Prefix,
        Suffix,
        Any,
    }

    private readonly Kind _kind;
    private readonly string _text;
    private readonly StringComparison _comparison;

    private ValuePattern(Kind kind, string text, StringComparison comparison)
    {
        _kind = kind;
        _text = text;
        _comparison = comparison;
    }

    public static ValuePattern Parse(string pattern, bool ignoreCase = false)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (pattern == "*")
        {
            return new ValuePattern(Kind.Any, "", comparison);
        }

        if (pattern.Length > 1 && pattern[^1] == '*')
        {
            return new ValuePattern(Kind.Prefix, pattern[..^1], comparison);
        }

        if (pattern.Length > 1 && pattern[0] == '*')
        {
            return new ValuePattern(Kind.Suffix, pattern[1..], comparison);
        }

        return new ValuePattern(Kind.Exact, pattern, comparison);
    }

    public bool Matches(ReadOnlySpan<char> value) => _kind switch
    {
        Kind.Any => true,
        Kind.Prefix => value.StartsWith(_text, _comparison),
        Kind.Suffix => value.EndsWith(_text, _comparison),
        _ => value.Equals(_text, _comparison),
    };

    public bool Matches(string? value) => value is not null && Matches(value.AsSpan());
}

/// <summary>The values of one field (<c>paths</c>, <c>notPaths</c>, ...): alternatives. An empty set is no condition.</summary>
internal readonly struct PatternSet
{
    private readonly ValuePattern[] _patterns;

    private PatternSet(ValuePattern[] patterns) => _patterns = patterns;

    public static PatternSet Parse(IReadOnlyList<string> values, bool ignoreCase = false)
    {
        var patterns = new ValuePattern[values.Count];
        for (var i = 0; i < patterns.Length; i++)
        {
            patterns[i] = ValuePattern.Parse(values[i], ignoreCase);
        }

        return new PatternSet(patterns);
    }

    public bool IsEmpty => _patterns is null || _patterns.Length == 0;

    public bool MatchesAny(string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(value.AsSpan()))
            {
                return true;
            }
        }

        return false;
    }

    public bool MatchesAny(ReadOnlySpan<char> value)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The field holds: no values, or the attribute matches one of them.</summary>
    public bool Allows(string? value) => IsEmpty || MatchesAny(value);

    /// <summary>The not-field holds: no values, or the attribute matches none of them.</summary>
    public bool Excludes(string? value) => IsEmpty || !MatchesAny(value);
}
