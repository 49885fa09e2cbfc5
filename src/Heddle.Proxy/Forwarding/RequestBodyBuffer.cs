using Heddle.Proxy.Forwarding.Retries;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// Makes a request body replayable for retries, up to <see cref="Limit"/> bytes: it streams through a
/// <see cref="RecordingBody"/>, which can replay it while it stayed within the limit. Mirrors keep a copy of the same
/// size (<see cref="Mirroring.MirrorBody"/>).
/// </summary>
internal static class RequestBodyBuffer
{
    /// <summary>The largest body kept for replay.</summary>
    public const int Limit = 64 * 1024;

    public static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false };

    /// <summary>Lets a body that streams to the upstream be replayed while it stays within the limit.</summary>
    public static void Record(HttpContext context)
    {
        var request = context.Request;
        if (HasBody(context) && request.Body is not RecordingBody && request.ContentLength is not > Limit)
        {
            request.Body = new RecordingBody(request.Body, Limit);
        }
    }

    /// <summary>Whether the body can be sent again from the start now (true when there is none).</summary>
    public static bool CanReplay(HttpContext context) =>
        !HasBody(context) || context.Request.Body is RecordingBody { Overflowed: false };

    /// <summary>Rewinds a replayable body before the next try.</summary>
    public static void Rewind(HttpContext context)
    {
        switch (context.Request.Body)
        {
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
}
