namespace Heddle.Config.Tests;

public class AccessLogFilterExpressionTests
{
    [Theory]
    [InlineData("response.code >= 400", "400-999")]
    [InlineData("response.code>=500 || response.code == 429", "429-429,500-999")]
    [InlineData("response.code >= 400 && response.code < 500", "400-499")]
    [InlineData("response.code != 200 && response.code > 100", "101-199,201-999")]
    [InlineData("response.code == 0", "0-0")]
    public void TryParse_SupportedExpression_GivesLoggedCodeRanges(string expression, string expected)
    {
        Assert.True(AccessLogFilterExpression.TryParse(expression, out var ranges, out var error), error);
        Assert.Equal(expected, string.Join(",", ranges.Select(r => $"{r.Min}-{r.Max}")));
    }

    [Theory]
    [InlineData("response.duration > 100")]
    [InlineData("response.code >= 'x'")]
    [InlineData("(response.code >= 400)")]
    [InlineData("")]
    public void TryParse_UnsupportedExpression_FailsWithReason(string expression)
    {
        Assert.False(AccessLogFilterExpression.TryParse(expression, out _, out var error));
        Assert.Contains("not supported", error, StringComparison.Ordinal);
    }
}
