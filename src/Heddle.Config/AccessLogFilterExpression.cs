using System.Globalization;

namespace Heddle.Config;

/// <summary>
/// The subset of CEL that Heddle evaluates in a Telemetry access-log filter: comparisons of <c>response.code</c> with an
/// integer (<c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>) joined with <c>&amp;&amp;</c> and
/// <c>||</c> (<c>&amp;&amp;</c> binds tighter), e.g. <c>response.code &gt;= 400</c> or
/// <c>response.code &gt;= 500 || response.code == 429</c>. The result is the set of status codes (0–999; 0 is a
/// request without response) that are logged, as inclusive ranges.
/// </summary>
public static class AccessLogFilterExpression
{
    /// <summary>The highest status code a filter distinguishes.</summary>
    public const int MaxCode = 999;

    /// <summary>Parses <paramref name="expression"/>; false with the reason when Heddle cannot evaluate it.</summary>
    public static bool TryParse(string expression, out ImmutableArray<(int Min, int Max)> ranges, out string error)
    {
        ranges = [];
        var logged = new bool[MaxCode + 1];
        foreach (var disjunct in Split(expression, "||"))
        {
            var conjunction = new bool[MaxCode + 1];
            Array.Fill(conjunction, true);
            foreach (var term in Split(disjunct, "&&"))
            {
                if (!TryParseComparison(term.Trim(), out var op, out var value))
                {
                    error = $"filter expression \"{expression}\" is not supported: Heddle evaluates only comparisons of response.code with a number joined by && and || (e.g. \"response.code >= 400\"), not \"{term.Trim()}\"";
                    return false;
                }

                for (int code = 0; code <= MaxCode; code++)
                {
                    conjunction[code] &= Compare(code, op, value);
                }
            }

            for (int code = 0; code <= MaxCode; code++)
            {
                logged[code] |= conjunction[code];
            }
        }

        var builder = ImmutableArray.CreateBuilder<(int, int)>();
        for (int code = 0; code <= MaxCode; code++)
        {
            if (!logged[code])
            {
                continue;
            }

            int start = code;
            while (code < MaxCode && logged[code + 1])
            {
                code++;
            }

            builder.Add((start, code));
        }

        ranges = builder.ToImmutable();
        error = "";
        return true;
    }

    private static string[] Split(string text, string separator) => text.Split(separator);

    private static bool TryParseComparison(string term, out string op, out int value)
    {
        op = "";
        value = 0;
        const string Attribute = "response.code";
        if (!term.StartsWith(Attribute, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = term[Attribute.Length..].TrimStart();
        foreach (var candidate in (ReadOnlySpan<string>)["==", "!=", "<=", ">=", "<", ">"])
        {
            if (rest.StartsWith(candidate, StringComparison.Ordinal))
            {
                op = candidate;
                return int.TryParse(rest[candidate.Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
            }
        }

        return false;
    }

    private static bool Compare(int code, string op, int value) => op switch
    {
        "==" => code == value,
        "!=" => code != value,
        "<=" => code <= value,
        ">=" => code >= value,
        "<" => code < value,
        _ => code > value,
    };
}
