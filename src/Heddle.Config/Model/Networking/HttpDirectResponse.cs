using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Answers a request with a fixed status and body.</summary>
public sealed record HttpDirectResponse
{
    /// <summary>The status code.</summary>
    [Required, Between(200, 599)]
    public int Status { get; init; }

    /// <summary>The body.</summary>
    public HttpBody? Body { get; init; }
}
