using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A fault says what to inject: a delay with its length, an abort with its error.</summary>
internal sealed class FaultInjectionRule : ResourceRule<VirtualService>
{
    protected override void Check(VirtualService resource, RuleContext context)
    {
        for (int i = 0; i < resource.Spec.Http.Length; i++)
        {
            if (resource.Spec.Http[i].Fault is not { } fault)
            {
                continue;
            }
            string path = $"spec.http[{i}].fault";
            if (fault.Delay is null && fault.Abort is null)
            {
                context.Error(resource, path, "a fault needs a delay, an abort, or both");
            }
            if (fault.Delay is { FixedDelay: null, ExponentialDelay: null })
            {
                context.Error(resource, $"{path}.delay", "a delay needs fixedDelay");
            }
            if (fault.Abort is { HttpStatus: null, GrpcStatus: null, Http2Error: null })
            {
                context.Error(resource, $"{path}.abort", "an abort needs httpStatus, grpcStatus or http2Error");
            }
        }
    }
}
