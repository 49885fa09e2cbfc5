namespace Heddle.Config.Model;

/// <summary>Whether HTTP/1.1 connections to a destination are upgraded to HTTP/2.</summary>
public enum H2UpgradePolicy
{
    /// <summary>The mesh-wide default.</summary>
    Default,

    /// <summary>Never upgrade.</summary>
    DoNotUpgrade,

    /// <summary>Always upgrade.</summary>
    Upgrade,
}
