using Heddle.Proxy.Security;

namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// The one place that decides <c>connection_security_policy</c> (and so whether principals are reported): the server
/// side reports <c>mutual_tls</c> when the connection carries a verified mesh identity (mutual TLS), <c>none</c> otherwise;
/// the client side reports <c>unknown</c>, as Istio does.
/// </summary>
internal static class ConnectionSecurity
{
    public static SecurityPolicy For(Reporter reporter, HttpContext context) =>
        For(reporter, reporter != Reporter.Source && context.Features.Get<PeerIdentity>() is not null);

    public static SecurityPolicy For(Reporter reporter, bool mutualTls) =>
        reporter == Reporter.Source ? SecurityPolicy.Unknown : mutualTls ? SecurityPolicy.MutualTls : SecurityPolicy.None;
}
