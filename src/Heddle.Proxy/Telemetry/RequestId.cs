namespace Heddle.Proxy.Telemetry;

/// <summary>
/// <c>x-request-id</c>, as Envoy keeps it: a request that arrives without one gets a random UUID, which the forwarded
/// request, the access log and the trace all carry; one that has it keeps it.
/// </summary>
internal static class RequestId
{
    public const string Header = "x-request-id";

    public static void Ensure(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(Header))
        {
            return;
        }

        headers[Header] = Guid.NewGuid().ToString();
    }
}
