using Heddle.Config.Model;
using Heddle.Config.Validation;

namespace Heddle.Config.Binding;

/// <summary>A TCP/UDP port: 1..65535, or for <see cref="IntOrString"/> also a named port (IANA service name).</summary>
internal sealed class PortNumberAttribute : FieldConstraintAttribute
{
    public override string? Check(object value) => value switch
    {
        int number => CheckNumber(number),
        long number => CheckNumber(number),
        IntOrString { IsNumber: true } port => CheckNumber(port.Number),
        IntOrString port => Names.IsIanaServiceName(port.Name!)
            ? null
            : $"a port name must be 1-15 lower-case letters, digits or '-', contain a letter, and not start or end with '-', got \"{port.Name}\"",
        _ => null,
    };

    private static string? CheckNumber(long number) =>
        number is >= 1 and <= 65535 ? null : $"a port must be between 1 and 65535, got {number}";
}
