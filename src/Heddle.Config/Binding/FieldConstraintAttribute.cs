namespace Heddle.Config.Binding;

/// <summary>
/// A check on one bound scalar value (each element of a list, each value of a map), evaluated by the binder
/// right after the value is read so the problem is reported at the value's own line.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
internal abstract class FieldConstraintAttribute : Attribute
{
    /// <summary>Returns what was expected when <paramref name="value"/> breaks the constraint, otherwise null.</summary>
    public abstract string? Check(object value);
}
