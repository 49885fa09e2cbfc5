using Heddle.Config;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The RequestAuthentications that apply to a proxy's workload, as the JWT issuers it accepts; null when none do.</summary>
internal static class JwtBuilder
{
    public static JwtAuthentication? For(ProxyContext proxy, ConfigSet config)
    {
        JwtAuthentication? result = null;
        foreach (var authentication in config.RequestAuthentications)
        {
            var spec = authentication.Spec;
            if (spec.TargetRef is not null || !spec.TargetRefs.IsEmpty || !PolicyScope.Applies(authentication.Metadata, spec.Selector, proxy.Namespace, proxy.Labels))
            {
                continue;
            }

            foreach (var rule in spec.JwtRules)
            {
                result ??= new JwtAuthentication();
                result.Providers.Add(Translate(rule));
            }
        }

        return result;
    }

    private static JwtProvider Translate(JwtRule rule)
    {
        var provider = new JwtProvider
        {
            Issuer = rule.Issuer ?? "",
            Jwks = rule.Jwks ?? "",
            ForwardOriginalToken = rule.ForwardOriginalToken ?? false,
            OutputPayloadToHeader = rule.OutputPayloadToHeader ?? "",
        };
        if (rule.Jwks is null)
        {
            provider.JwksError = rule.JwksUri is { } uri ? $"the key set at {uri} has not been fetched" : "no jwks or jwksUri";
        }

        provider.Audiences.AddRange(rule.Audiences);
        foreach (var header in rule.FromHeaders)
        {
            provider.FromHeaders.Add(new JwtHeaderLocation { Name = (header.Name ?? "").ToLowerInvariant(), Prefix = header.Prefix ?? "" });
        }

        provider.FromParams.AddRange(rule.FromParams);
        provider.FromCookies.AddRange(rule.FromCookies);
        foreach (var claim in rule.OutputClaimToHeaders)
        {
            provider.OutputClaimToHeaders.Add(new JwtClaimToHeader { Header = claim.Header ?? "", Claim = claim.Claim ?? "" });
        }

        return provider;
    }
}
