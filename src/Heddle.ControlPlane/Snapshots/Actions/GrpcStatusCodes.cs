namespace Heddle.ControlPlane.Snapshots.Actions;

/// <summary>gRPC status names as Istio's <c>grpcStatus</c> and Envoy's retry conditions write them.</summary>
internal static class GrpcStatusCodes
{
    private static readonly Dictionary<string, uint> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["OK"] = 0,
        ["CANCELLED"] = 1,
        ["UNKNOWN"] = 2,
        ["INVALID_ARGUMENT"] = 3,
        ["DEADLINE_EXCEEDED"] = 4,
        ["NOT_FOUND"] = 5,
        ["ALREADY_EXISTS"] = 6,
        ["PERMISSION_DENIED"] = 7,
        ["RESOURCE_EXHAUSTED"] = 8,
        ["FAILED_PRECONDITION"] = 9,
        ["ABORTED"] = 10,
        ["OUT_OF_RANGE"] = 11,
        ["UNIMPLEMENTED"] = 12,
        ["INTERNAL"] = 13,
        ["UNAVAILABLE"] = 14,
        ["DATA_LOSS"] = 15,
        ["UNAUTHENTICATED"] = 16,
    };

    /// <summary>The code of a name ("UNAVAILABLE") or of a number written as text ("14").</summary>
    public static bool TryParse(string text, out uint code) =>
        Codes.TryGetValue(text.Trim(), out code) || uint.TryParse(text, out code);
}
