using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>
/// HTTP match conditions whose meaning differs from what the author likely expects, as Istio's reference describes
/// them: header keys that Istio ignores, query-parameter prefix matches Istio does not support, ignoreUriCase with a
/// regex URI, and JWT-claim conditions that need request authentication.
/// </summary>
internal sealed class HttpMatchRule : ResourceRule<VirtualService>
{
    /// <summary>Keys Istio ignores in headers and withoutHeaders: these request properties have fields of their own.</summary>
    private static readonly string[] IgnoredHeaderKeys = ["uri", "scheme", "method", "authority"];

    private const string ClaimPrefix = "@request.auth.claims.";

    protected override void Check(VirtualService resource, RuleContext context)
    {
        for (int i = 0; i < resource.Spec.Http.Length; i++)
        {
            var matches = resource.Spec.Http[i].Match;
            for (int m = 0; m < matches.Length; m++)
            {
                var match = matches[m];
                string path = $"spec.http[{i}].match[{m}]";
                CheckHeaders(resource, context, FieldPath.Field(path, "headers"), match.Headers);
                CheckHeaders(resource, context, FieldPath.Field(path, "withoutHeaders"), match.WithoutHeaders);
                foreach (var (name, value) in match.QueryParams)
                {
                    if (value.Prefix is not null)
                    {
                        context.Warning(resource, FieldPath.Field(FieldPath.Key(FieldPath.Field(path, "queryParams"), name), "prefix"),
                            "Istio does not support prefix matching for query parameters; Heddle matches it as a prefix, use exact or regex to behave the same on Istio");
                    }
                }
                if (match.IgnoreUriCase == true && match.Uri?.Regex is not null)
                {
                    context.Warning(resource, FieldPath.Field(path, "ignoreUriCase"),
                        "ignoreUriCase applies only to exact and prefix URI matches; start the regex with (?i) to ignore case");
                }
            }
        }
    }

    private static void CheckHeaders(VirtualService resource, RuleContext context, string path, IEnumerable<KeyValuePair<string, StringMatch>> headers)
    {
        foreach (var (name, _) in headers)
        {
            string where = FieldPath.Key(path, name);
            if (Array.IndexOf(IgnoredHeaderKeys, name.ToLowerInvariant()) >= 0)
            {
                context.Warning(resource, where, $"the key '{name}' is ignored here, as in Istio; use match.{name.ToLowerInvariant()} to match the request's {name.ToLowerInvariant()}");
            }
            else if (name.StartsWith(ClaimPrefix, StringComparison.Ordinal))
            {
                context.Error(resource, where, "not supported: JWT claim conditions need request authentication, which Heddle does not provide");
            }
        }
    }
}
