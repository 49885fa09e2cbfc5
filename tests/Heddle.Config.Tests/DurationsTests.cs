namespace Heddle.Config.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData("1.5s", 1500)]
    [InlineData("100ms", 100)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("250000us", 250)]
    [InlineData("2000000ns", 2)]
    public void TryParse_IstioDurations_Parse(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value, out string? error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("1.5")]
    [InlineData("5 seconds")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData("")]
    public void TryParse_NotADuration_ExplainsTheFormat(string text)
    {
        Assert.False(Durations.TryParse(text, out _, out string? error));
        Assert.Equal($"expected a duration such as \"1.5s\", \"100ms\" or \"1m30s\", got \"{text}\"", error);
    }

    [Fact]
    public void TryParse_Negative_IsRejected()
    {
        Assert.False(Durations.TryParse("-1s", out _, out string? error));
        Assert.Equal("a duration must not be negative, got \"-1s\"", error);
    }

    [Theory]
    [InlineData(1500, "1.5s")]
    [InlineData(100, "100ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(0, "0s")]
    public void Format_Duration_RoundTrips(long milliseconds, string expected)
    {
        string text = Durations.Format(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, text);
        Assert.True(Durations.TryParse(text, out var parsed, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), parsed);
    }
}
