using System.Text;

namespace Heddle.Proxy.Authorization;

/// <summary>The answer to a request the authorization policies deny: 403 with Envoy's body, so that clients and
/// tests written against Istio see what they expect.</summary>
internal static class AccessDenied
{
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("RBAC: access denied");

    public static Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.ContentType = "text/plain";
        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body, 0, Body.Length, context.RequestAborted);
    }
}
