using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>One attribute of a generated hash cookie, e.g. <c>SameSite=Strict</c>.</summary>
public sealed record HttpCookieAttributeSetting
{
    /// <summary>Attribute name.</summary>
    [Required]
    public string Name { get; init; } = "";

    /// <summary>Attribute value.</summary>
    public string? Value { get; init; }
}
