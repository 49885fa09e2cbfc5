using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>
/// Values inside an HTTP route's settings that Istio rejects: unknown retry conditions, unknown gRPC status names,
/// a direct-response body that is not base64, a rewrite with both uri and uriRegexRewrite. Settings Istio accepts but
/// that have no effect (in Istio too, or in Heddle) get a warning.
/// </summary>
internal sealed class HttpRouteSettingsRule : ResourceRule<VirtualService>
{
    private static readonly HashSet<string> RetryConditions = new(StringComparer.Ordinal)
    {
        "5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
        "reset-before-request", "retriable-headers", "envoy-ratelimited",
    };

    /// <summary>Concerns HTTP/3 upstream connections, which Heddle does not open.</summary>
    private const string Http3PostConnectFailure = "http3-post-connect-failure";

    private static readonly HashSet<string> GrpcStatusNames = new(StringComparer.Ordinal)
    {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    };

    protected override void Check(VirtualService resource, RuleContext context)
    {
        for (int i = 0; i < resource.Spec.Http.Length; i++)
        {
            var route = resource.Spec.Http[i];
            string path = $"spec.http[{i}]";
            if (route.Retries?.RetryOn is { } retryOn)
            {
                foreach (var part in retryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(part, out var code))
                    {
                        if (code is < 100 or > 599)
                        {
                            context.Error(resource, $"{path}.retries.retryOn", $"'{part}' is not an HTTP status code");
                        }
                    }
                    else if (part == Http3PostConnectFailure)
                    {
                        context.Warning(resource, $"{path}.retries.retryOn", $"'{part}' has no effect: Heddle does not speak HTTP/3 to upstreams");
                    }
                    else if (!RetryConditions.Contains(part))
                    {
                        context.Error(resource, $"{path}.retries.retryOn", $"unknown retry condition '{part}'; expected one of {string.Join(", ", RetryConditions)}, {Http3PostConnectFailure} or a status code");
                    }
                }
            }

            if (route.Fault?.Abort is { } abort)
            {
                if (abort.GrpcStatus is { } grpc && !GrpcStatusNames.Contains(grpc))
                {
                    context.Error(resource, $"{path}.fault.abort.grpcStatus", $"unknown gRPC status '{grpc}'; expected a name such as UNAVAILABLE");
                }

                if (abort.Http2Error is not null)
                {
                    context.Warning(resource, $"{path}.fault.abort.http2Error", "is not implemented (Istio does not implement it either: the field is hidden from its reference and istiod drops the abort); no abort is injected");
                }
            }

            if (route.Fault?.Delay is { ExponentialDelay: not null })
            {
                context.Warning(resource, $"{path}.fault.delay.exponentialDelay", "is not implemented (Istio does not implement it either: the field is hidden from its reference and istiod drops the delay); no delay is injected");
            }

            if (route.DirectResponse?.Body?.Bytes is { } bytes && !IsBase64(bytes))
            {
                context.Error(resource, $"{path}.directResponse.body.bytes", "must be base64");
            }

            if (route.Rewrite is { Uri.Length: > 0, UriRegexRewrite: not null })
            {
                context.Error(resource, $"{path}.rewrite.uriRegexRewrite", "rewrite may contain uri or uriRegexRewrite, not both");
            }
        }
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
