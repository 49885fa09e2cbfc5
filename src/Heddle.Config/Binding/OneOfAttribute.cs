namespace Heddle.Config.Binding;

/// <summary>Marks fields of a protobuf <c>oneof</c>: at most one field of the same group may be set.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class OneOfAttribute(string group) : Attribute
{
    public string Group { get; } = group;
}
