namespace Heddle.Config.Model;

/// <summary>Istio's <c>meshConfig.accessLogEncoding</c>.</summary>
public enum MeshAccessLogEncoding
{
    /// <summary>Envoy's default text line.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,
}
