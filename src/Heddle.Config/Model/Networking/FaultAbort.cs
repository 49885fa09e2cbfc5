using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>An error returned instead of forwarding a share of requests.</summary>
public sealed record FaultAbort
{
    /// <summary>HTTP status to return.</summary>
    [OneOf("errorType"), Between(200, 599)]
    public int? HttpStatus { get; init; }

    /// <summary>gRPC status to return, e.g. "UNAVAILABLE".</summary>
    [OneOf("errorType")]
    public string? GrpcStatus { get; init; }

    /// <summary>HTTP/2 error to reset the stream with.</summary>
    [OneOf("errorType")]
    public string? Http2Error { get; init; }

    /// <summary>Share of requests aborted.</summary>
    public Percent? Percentage { get; init; }
}
