using System.Text;

namespace Heddle.Proxy.Authorization;

/// <summary>The answers to a request the authentication and authorization policies refuse: 403 with Envoy's body, so that clients and
/// tests written against Istio see what they expect.</summary>
internal static class AccessDenied
{
    /// <summary>Envoy's RBAC denial body (the lean HTTP/1.1 path writes the same bytes).</summary>
    internal static readonly byte[] Body = Encoding.ASCII.GetBytes("RBAC: access denied");

    public static Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.ContentType = "text/plain";
        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body, 0, Body.Length, context.RequestAborted);
    }

    /// <summary>401 for a request whose token was refused, saying why, as Envoy's JWT filter does.</summary>
    public static Task WriteUnauthenticatedAsync(HttpContext context, string reason)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer realm=\"" + context.Request.Scheme + "://" + context.Request.Host + context.Request.Path + "\", error=\"invalid_token\"";
        response.ContentType = "text/plain";
        var body = Encoding.UTF8.GetBytes(reason);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
