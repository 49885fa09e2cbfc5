using Heddle.Config.Validation;

namespace Heddle.Config.Binding;

/// <summary>A DNS-1123 label: lower-case letters, digits and '-', at most 63 characters (port and subset names).</summary>
internal sealed class Dns1123LabelAttribute : FieldConstraintAttribute
{
    public override string? Check(object value) =>
        value is string text && !Names.IsDns1123Label(text)
            ? $"must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got \"{text}\""
            : null;
}
