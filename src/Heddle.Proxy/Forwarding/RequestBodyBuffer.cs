using Heddle.Proxy.Forwarding.Retries;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// Makes a request body replayable for retries and mirrors, up to <see cref="Limit"/> bytes. For a mirror the body is
/// read first (it must have a declared length within the limit); for retries alone it streams through a
/// <see cref="RecordingBody"/>, which can replay it while it stayed within the limit.
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

    /// <summary>Lets a body that streams to the upstream be replayed while it stays within the limit.</summary>
    public static void Record(HttpContext context)
    {
        var request = context.Request;
        if (HasBody(context) && request.Body is not (MemoryStream or RecordingBody) && request.ContentLength is not > Limit)
        {
            request.Body = new RecordingBody(request.Body, Limit);
        }
    }

    /// <summary>Whether the body can be sent again from the start now (true when there is none).</summary>
    public static bool CanReplay(HttpContext context) =>
        !HasBody(context) || context.Request.Body is MemoryStream or RecordingBody { Overflowed: false };

    /// <summary>Rewinds a replayable body before the next try.</summary>
    public static void Rewind(HttpContext context)
    {
        switch (context.Request.Body)
        {
            case MemoryStream buffered:
                buffered.Position = 0;
                break;
            case RecordingBody recording:
                recording.Rewind();
                break;
        }
    }

    /// <summary>Returns a recording's pooled buffer once the request was forwarded.</summary>
    public static void Release(HttpContext context)
    {
        if (context.Request.Body is RecordingBody recording)
        {
            recording.Release();
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
