using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>The cookie used as a consistent-hash key.</summary>
public sealed record HttpCookie
{
    /// <summary>Cookie name.</summary>
    [Required]
    public string Name { get; init; } = "";

    /// <summary>Cookie path.</summary>
    public string? Path { get; init; }

    /// <summary>Lifetime of a generated cookie.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Extra cookie attributes.</summary>
    public ImmutableArray<HttpCookieAttributeSetting> Attributes { get; init; } = [];
}
