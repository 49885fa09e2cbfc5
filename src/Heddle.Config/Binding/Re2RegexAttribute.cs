using Heddle.Config.Validation;

namespace Heddle.Config.Binding;

/// <summary>A regular expression in the RE2 dialect that Istio and Envoy accept.</summary>
internal sealed class Re2RegexAttribute : FieldConstraintAttribute
{
    public override string? Check(object value) =>
        value is string pattern && !Re2.TryValidate(pattern, out string? error) ? error : null;
}
