namespace Heddle.Config.Model;

/// <summary>Faults injected into matching requests.</summary>
public sealed record HttpFaultInjection
{
    /// <summary>Delay the request before forwarding.</summary>
    public FaultDelay? Delay { get; init; }

    /// <summary>Answer with an error instead of forwarding.</summary>
    public FaultAbort? Abort { get; init; }
}
