using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A response body, given as text or as base64 bytes.</summary>
public sealed record HttpBody
{
    /// <summary>The body as text.</summary>
    [OneOf("specifier")]
    public string? String { get; init; }

    /// <summary>The body as base64-encoded bytes.</summary>
    [OneOf("specifier")]
    public string? Bytes { get; init; }
}
