namespace Heddle.Config.Binding;

/// <summary>A string that must be one of a fixed set of values (case-sensitive, as the API spells them).</summary>
internal sealed class AllowedValuesAttribute(params string[] values) : FieldConstraintAttribute
{
    public override string? Check(object value) =>
        value is string text && Array.IndexOf(values, text) < 0
            ? $"must be one of {string.Join(", ", values)}, got \"{text}\""
            : null;
}
