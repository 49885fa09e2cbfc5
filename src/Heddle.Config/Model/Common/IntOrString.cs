namespace Heddle.Config.Model;

/// <summary>A Kubernetes <c>IntOrString</c>: a port given by number (<c>8080</c>) or by name (<c>http</c>).</summary>
public readonly record struct IntOrString
{
    private IntOrString(int number, string? name)
    {
        Number = number;
        Name = name;
    }

    /// <summary>True when the value is a number.</summary>
    public bool IsNumber => Name is null;

    /// <summary>The number (0 when the value is a name).</summary>
    public int Number { get; }

    /// <summary>The name (null when the value is a number).</summary>
    public string? Name { get; }

    /// <summary>A numeric value.</summary>
    public static IntOrString FromNumber(int number) => new(number, null);

    /// <summary>A named value.</summary>
    public static IntOrString FromName(string name) => new(0, name);

    /// <summary>Converts a number.</summary>
    public static implicit operator IntOrString(int number) => FromNumber(number);

    /// <summary>Converts a name.</summary>
    public static implicit operator IntOrString(string name) => FromName(name);

    /// <inheritdoc/>
    public override string ToString() => Name ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
