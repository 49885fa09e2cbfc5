using Heddle.Config.Validation;

namespace Heddle.Config.Binding;

/// <summary>A port name as Kubernetes requires for container ports (IANA service name syntax).</summary>
internal sealed class IanaServiceNameAttribute : FieldConstraintAttribute
{
    public override string? Check(object value) =>
        value is string name && !Names.IsIanaServiceName(name)
            ? $"a port name must be 1-15 lower-case letters, digits or '-', contain a letter, and not start or end with '-', got \"{name}\""
            : null;
}
