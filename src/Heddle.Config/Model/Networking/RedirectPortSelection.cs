namespace Heddle.Config.Model;

/// <summary>How a redirect picks its port.</summary>
public enum RedirectPortSelection
{
    /// <summary>80 for http, 443 for https.</summary>
    FromProtocolDefault,

    /// <summary>The port of the original request.</summary>
    FromRequestPort,
}
