namespace Heddle.Config.Binding;

/// <summary>Marks a field that must be present (and, for lists and maps, non-empty).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RequiredAttribute : Attribute;
