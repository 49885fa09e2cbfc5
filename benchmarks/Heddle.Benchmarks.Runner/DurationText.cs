using System.Globalization;

namespace Heddle.Benchmarks.Runner;

/// <summary>Durations as written on the command line and understood by hey and wrk: "30s", "500ms", "2m".</summary>
internal static class DurationText
{
    public static TimeSpan Parse(string text)
    {
        string trimmed = text.Trim();
        (string number, double scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.Ordinal) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') => (trimmed[..^1], 60.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0)
        {
            throw new FormatException($"not a duration: '{text}' (examples: 30s, 500ms, 2m)");
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>Whole milliseconds, the form both hey (-z) and wrk (-d accepts "ms") read.</summary>
    public static string ForTools(TimeSpan duration) =>
        duration.TotalMilliseconds % 1000 == 0
            ? $"{(long)duration.TotalSeconds}s"
            : $"{(long)duration.TotalMilliseconds}ms";

    public static string Human(TimeSpan duration) =>
        duration.TotalMilliseconds % 1000 == 0
            ? $"{(long)duration.TotalSeconds} s"
            : $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
