using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// Keeps a small request body in memory so that it can be sent again (a retry) or copied (a mirror). Bodies of unknown
/// length or above the limit stream as usual and cannot be replayed.
/// </summary>
internal static class RequestBodyBuffer
{
    /// <summary>The largest body kept for replay.</summary>
    public const int Limit = 64 * 1024;

    public static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false };

    /// <summary>Whether the request's body can be read again from the start (true when it has none).</summary>
    public static async ValueTask<bool> TryBufferAsync(HttpContext context)
    {
        if (!HasBody(context))
        {
            return true;
        }

        var request = context.Request;
        if (request.Body is MemoryStream)
        {
            return true;
        }

        if (request.ContentLength is not { } length || length > Limit)
        {
            return false;
        }

        var bytes = new byte[length];
        await request.Body.ReadExactlyAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        request.Body = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        return true;
    }

    /// <summary>Rewinds a buffered body before the next try.</summary>
    public static void Rewind(HttpContext context)
    {
        if (context.Request.Body is MemoryStream buffered)
        {
            buffered.Position = 0;
        }
    }

    /// <summary>The buffered body, or null when the request has none or it was not buffered.</summary>
    public static ArraySegment<byte>? Buffered(HttpContext context)
    {
        if (context.Request.Body is MemoryStream buffered && buffered.TryGetBuffer(out var segment))
        {
            return segment;
        }

        return null;
    }
}
