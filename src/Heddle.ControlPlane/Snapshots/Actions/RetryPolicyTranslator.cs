using System.Globalization;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots.Actions;

/// <summary>
/// Istio's retry semantics: no <c>retries</c> means the default policy (2 retries on connect-failure,
/// refused-stream, unavailable, cancelled and status 503); <c>attempts: 0</c> (or none) disables retries; otherwise the
/// default with the given attempts, per-try timeout and conditions, where numbers in <c>retryOn</c> are status codes.
/// </summary>
internal static class RetryPolicyTranslator
{
    public const uint DefaultRetries = 2;

    public static readonly string[] DefaultRetryOn = ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"];

    public const string RetriableStatusCodes = "retriable-status-codes";

    public static RouteRetryPolicy? Translate(HttpRetry? retries)
    {
        if (retries is null)
        {
            return Default();
        }

        if (retries.Attempts is not > 0)
        {
            return null;
        }

        var policy = Default();
        policy.NumRetries = (uint)retries.Attempts.Value;
        if (!string.IsNullOrWhiteSpace(retries.RetryOn))
        {
            policy.RetryOn.Clear();
            policy.RetriableStatusCodes.Clear();
            foreach (var part in retries.RetryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
                {
                    policy.RetriableStatusCodes.Add((uint)code);
                }
                else
                {
                    policy.RetryOn.Add(part);
                }
            }

            if (policy.RetriableStatusCodes.Count > 0 && !policy.RetryOn.Contains(RetriableStatusCodes))
            {
                policy.RetryOn.Add(RetriableStatusCodes);
            }
        }

        policy.PerTryTimeoutMs = RouteActionTranslator.Milliseconds(retries.PerTryTimeout);
        policy.BackoffBaseMs = RouteActionTranslator.Milliseconds(retries.Backoff);
        return policy;
    }

    public static RouteRetryPolicy Default()
    {
        var policy = new RouteRetryPolicy { NumRetries = DefaultRetries };
        policy.RetryOn.AddRange(DefaultRetryOn);
        policy.RetriableStatusCodes.Add(503);
        return policy;
    }
}
