using Heddle.Config.Model;
using Heddle.ControlPlane.Snapshots.Actions;

namespace Heddle.ControlPlane.Tests.Snapshots.Actions;

public sealed class RetryPolicyTranslatorTests
{
    [Fact]
    public void Translate_NoRetries_GivesIstioDefaultPolicy()
    {
        var policy = RetryPolicyTranslator.Translate(null);

        Assert.NotNull(policy);
        Assert.Equal(2u, policy.NumRetries);
        Assert.Equal(["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"], policy.RetryOn);
        Assert.Equal([503u], policy.RetriableStatusCodes);
        Assert.Equal(0u, policy.PerTryTimeoutMs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(null)]
    public void Translate_ZeroOrNoAttempts_DisablesRetries(int? attempts)
    {
        Assert.Null(RetryPolicyTranslator.Translate(new HttpRetry { Attempts = attempts, RetryOn = "5xx" }));
    }

    [Fact]
    public void Translate_AttemptsWithoutRetryOn_KeepsDefaultConditions()
    {
        var policy = RetryPolicyTranslator.Translate(new HttpRetry { Attempts = 3, PerTryTimeout = TimeSpan.FromSeconds(2) });

        Assert.NotNull(policy);
        Assert.Equal(3u, policy.NumRetries);
        Assert.Equal(2000u, policy.PerTryTimeoutMs);
        Assert.Contains("connect-failure", policy.RetryOn);
        Assert.Equal([503u], policy.RetriableStatusCodes);
    }

    [Fact]
    public void Translate_NumbersInRetryOn_BecomeRetriableStatusCodes()
    {
        var policy = RetryPolicyTranslator.Translate(new HttpRetry { Attempts = 2, RetryOn = "gateway-error, 409 ,connect-failure,429", Backoff = TimeSpan.FromMilliseconds(100) });

        Assert.NotNull(policy);
        Assert.Equal(["gateway-error", "connect-failure", "retriable-status-codes"], policy.RetryOn);
        Assert.Equal([409u, 429u], policy.RetriableStatusCodes);
        Assert.Equal(100u, policy.BackoffBaseMs);
    }

    [Fact]
    public void Translate_RetryOnWithoutNumbers_DropsDefaultStatusCodes()
    {
        var policy = RetryPolicyTranslator.Translate(new HttpRetry { Attempts = 1, RetryOn = "5xx" });

        Assert.NotNull(policy);
        Assert.Equal(["5xx"], policy.RetryOn);
        Assert.Empty(policy.RetriableStatusCodes);
    }
}
