namespace Heddle.Config.Binding;

/// <summary>A field the API still accepts but has replaced; using it gives a warning with the advice.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DeprecatedAttribute(string advice) : Attribute
{
    public string Advice { get; } = advice;
}
