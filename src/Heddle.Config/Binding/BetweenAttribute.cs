namespace Heddle.Config.Binding;

/// <summary>A number within an inclusive range.</summary>
internal sealed class BetweenAttribute(double minimum, double maximum) : FieldConstraintAttribute
{
    public override string? Check(object value)
    {
        double number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        return number >= minimum && number <= maximum
            ? null
            : $"must be between {minimum} and {maximum}, got {value}";
    }
}
