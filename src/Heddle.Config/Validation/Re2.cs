using System.Text.RegularExpressions;

namespace Heddle.Config.Validation;

/// <summary>
/// Checks regular expressions in the RE2 dialect that Istio and Envoy use. .NET's non-backtracking engine refuses
/// the same constructs RE2 does (backreferences, lookaround, atomic groups), so a pattern it accepts runs in linear
/// time and means the same thing in RE2, apart from RE2's <c>(?P&lt;name&gt;…)</c> group syntax, translated here.
/// </summary>
internal static class Re2
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>True when <paramref name="pattern"/> compiles; otherwise <paramref name="error"/> says why.</summary>
    public static bool TryValidate(string pattern, out string? error)
    {
        try
        {
            _ = Create(pattern);
            error = null;
            return true;
        }
        catch (ArgumentException exception)
        {
            error = $"invalid regular expression \"{pattern}\": {exception.Message}";
        }
        catch (NotSupportedException exception)
        {
            error = $"regular expression \"{pattern}\" uses a construct RE2 does not support: {exception.Message}";
        }
        return false;
    }

    /// <summary>Compiles <paramref name="pattern"/> to match whole strings, as Envoy's safe regex does.</summary>
    public static Regex Create(string pattern) =>
        new($"^(?:{pattern.Replace("(?P<", "(?<", StringComparison.Ordinal)})$",
            RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
}
