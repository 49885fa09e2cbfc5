namespace Heddle.ControlPlane.Discovery;

/// <summary>Where one proxy stands, for the monitoring endpoint.</summary>
public sealed record ProxyStatus(string AckedVersion, string SentVersion, string LatestVersion, string Status, int Rejections, string LastRejection);
