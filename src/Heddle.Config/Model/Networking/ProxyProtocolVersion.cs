namespace Heddle.Config.Model;

/// <summary>PROXY protocol versions.</summary>
public enum ProxyProtocolVersion
{
    /// <summary>Text header.</summary>
    V1,

    /// <summary>Binary header.</summary>
    V2,
}
