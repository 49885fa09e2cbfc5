using System.Globalization;
using System.Text;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Forwarding.Faults;

/// <summary>
/// Istio's <c>fault</c>, as Envoy's fault filter runs it: first the delay (its share of requests waits, flag DI), then
/// the abort (its share is answered with the status, flag FI, and never reaches the upstream). A gRPC abort is an
/// HTTP 200 with the grpc-status header and no body.
/// </summary>
internal sealed class FaultInjector(Random random, TimeProvider timeProvider)
{
    private static readonly byte[] AbortBody = Encoding.ASCII.GetBytes("fault filter abort");

    /// <summary>Applies the fault; Answered when the request was aborted (or the client left during the delay).</summary>
    public async ValueTask<(bool Answered, ResponseFlags Flags)> ApplyAsync(HttpContext context, FaultPolicy fault)
    {
        var flags = ResponseFlags.None;
        if (fault.HasDelay && FaultPolicy.Hits(fault.DelayPerMillion, random))
        {
            flags |= ResponseFlags.DelayInjected;
            try
            {
                await Task.Delay(fault.Delay, timeProvider, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (true, flags | ResponseFlags.DownstreamConnectionTermination);
            }
        }

        if (!fault.HasAbort || !FaultPolicy.Hits(fault.AbortPerMillion, random))
        {
            return (false, flags);
        }

        flags |= ResponseFlags.FaultInjected;
        var response = context.Response;
        if (fault.AbortGrpcStatus >= 0)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = fault.AbortGrpcStatus.ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = "fault filter abort";
            return (true, flags);
        }

        response.StatusCode = fault.AbortHttpStatus;
        response.ContentType = "text/plain";
        response.ContentLength = AbortBody.Length;
        await response.Body.WriteAsync(AbortBody, context.RequestAborted).ConfigureAwait(false);
        return (true, flags);
    }
}
