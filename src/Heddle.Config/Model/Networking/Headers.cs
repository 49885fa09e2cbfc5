namespace Heddle.Config.Model;

/// <summary>Header changes for requests and responses.</summary>
public sealed record Headers
{
    /// <summary>Changes to the request before it is forwarded.</summary>
    public HeaderOperations? Request { get; init; }

    /// <summary>Changes to the response before it is returned.</summary>
    public HeaderOperations? Response { get; init; }
}
