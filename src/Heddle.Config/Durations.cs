using System.Globalization;
using System.Text;

namespace Heddle.Config;

/// <summary>
/// Durations as Istio writes them: a sequence of decimal numbers with units, e.g. <c>1.5s</c>, <c>100ms</c>,
/// <c>1h30m</c> (units h, m, s, ms, us/µs, ns; "0" alone is allowed).
/// </summary>
public static class Durations
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what was expected.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        if (text == "0")
        {
            return true;
        }
        if (text.StartsWith('-'))
        {
            error = $"a duration must not be negative, got \"{text}\"";
            return false;
        }
        int position = text.StartsWith('+') ? 1 : 0;
        if (position == text.Length)
        {
            error = Expected(text);
            return false;
        }
        decimal totalNanoseconds = 0;
        while (position < text.Length)
        {
            int start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }
            if (!decimal.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                error = Expected(text);
                return false;
            }
            int unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.')
            {
                position++;
            }
            decimal? nanosecondsPerUnit = text[unitStart..position] switch
            {
                "h" => 3_600_000_000_000m,
                "m" => 60_000_000_000m,
                "s" => 1_000_000_000m,
                "ms" => 1_000_000m,
                "us" or "µs" or "μs" => 1_000m,
                "ns" => 1m,
                _ => null,
            };
            if (nanosecondsPerUnit is null)
            {
                error = Expected(text);
                return false;
            }
            totalNanoseconds += number * nanosecondsPerUnit.Value;
        }
        decimal ticks = totalNanoseconds / 100m;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            error = $"duration \"{text}\" is too long";
            return false;
        }
        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Formats a duration the way it is usually written: <c>1.5s</c>, <c>100ms</c>, <c>2m</c>, <c>1h30m</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return value < TimeSpan.FromSeconds(1) && value.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms"
                : $"{((decimal)value.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)}s";
        }
        var builder = new StringBuilder();
        long seconds = value.Ticks / TimeSpan.TicksPerSecond;
        if (seconds >= 3600)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds / 3600}h");
            seconds %= 3600;
        }
        if (seconds >= 60)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds / 60}m");
            seconds %= 60;
        }
        if (seconds > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds}s");
        }
        return builder.ToString();
    }

    private static string Expected(string text) =>
        $"expected a duration such as \"1.5s\", \"100ms\" or \"1m30s\", got \"{text}\"";
}
