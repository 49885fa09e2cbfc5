using System.Globalization;
using Heddle.Config.Model;
using Heddle.Discovery.V1;
using ConfigStringMatch = Heddle.Config.Model.StringMatch;
using ProtoStringMatch = Heddle.Discovery.V1.StringMatch;

namespace Heddle.ControlPlane.Snapshots.Actions;

/// <summary>
/// Translates what an HTTP route does besides choosing destinations — redirect, direct response, rewrite, headers,
/// timeout, retries, fault, mirrors, CORS — into the protocol's route fields, with Istio's defaults filled in, so that
/// the proxy only executes what it is given.
/// </summary>
internal static class RouteActionTranslator
{
    /// <summary>Istio's redirect status when <c>redirectCode</c> is absent.</summary>
    public const uint DefaultRedirectCode = 301;

    /// <summary>Percentages travel as millionths, as Envoy's fractional percent does.</summary>
    public const uint Million = 1_000_000;

    public static void Apply(HttpRoute http, Route route, Func<Destination, string> clusterFor)
    {
        if (http.Redirect is { } redirect)
        {
            route.Redirect = Redirect(redirect);
        }

        if (http.DirectResponse is { } direct)
        {
            route.DirectResponse = new RouteDirectResponse { Status = (uint)direct.Status, Body = Body(direct.Body) };
        }

        if (http.Rewrite is { } rewrite && Rewrite(rewrite) is { } translated)
        {
            route.Rewrite = translated;
        }

        if (http.Headers is { } headers)
        {
            route.RequestHeaders = HeaderOperations(headers.Request);
            route.ResponseHeaders = HeaderOperations(headers.Response);
        }

        for (var i = 0; i < http.Route.Length; i++)
        {
            if (http.Route[i].Headers is { } destinationHeaders)
            {
                route.DestinationHeaders.Add(new RouteDestinationHeaders
                {
                    ClusterIndex = (uint)i,
                    Request = HeaderOperations(destinationHeaders.Request),
                    Response = HeaderOperations(destinationHeaders.Response),
                });
            }
        }

        // Redirects and direct responses never reach an upstream: timeouts, retries and mirrors mean nothing there.
        if (!http.Route.IsEmpty)
        {
            route.TimeoutMs = Milliseconds(http.Timeout);
            route.RetryPolicy = RetryPolicyTranslator.Translate(http.Retries);
            AddMirrors(http, route, clusterFor);
        }

        if (http.Fault is { } fault && Fault(fault) is { } translatedFault)
        {
            route.Fault = translatedFault;
        }

        if (http.CorsPolicy is { } cors)
        {
            route.Cors = Cors(cors);
        }
    }

    public static uint Milliseconds(TimeSpan? duration)
    {
        if (duration is not { } value || value <= TimeSpan.Zero)
        {
            return 0;
        }

        // A positive duration below a millisecond stays a timeout rather than turning into "none".
        return (uint)Math.Clamp(Math.Ceiling(value.TotalMilliseconds), 1, uint.MaxValue);
    }

    /// <summary>A percentage (0..100) in millionths; <paramref name="fallback"/> when absent.</summary>
    public static uint PerMillion(Percent? percent, int? deprecatedPercent, uint fallback)
    {
        if (percent is { } p)
        {
            return (uint)Math.Clamp(Math.Round(p.Value * 10_000), 0, Million);
        }

        return deprecatedPercent is { } integer ? (uint)Math.Clamp(integer * 10_000, 0, Million) : fallback;
    }

    private static RouteRedirect Redirect(HttpRedirect redirect) => new()
    {
        Path = redirect.Uri ?? "",
        Authority = redirect.Authority ?? "",
        Scheme = redirect.Scheme ?? "",
        Port = (uint)(redirect.Port ?? 0),
        DerivePort = redirect.DerivePort switch
        {
            RedirectPortSelection.FromProtocolDefault => RouteRedirect.Types.DerivePort.FromProtocolDefault,
            RedirectPortSelection.FromRequestPort => RouteRedirect.Types.DerivePort.FromRequestPort,
            _ => RouteRedirect.Types.DerivePort.None,
        },
        Status = (uint)(redirect.RedirectCode ?? (int)DefaultRedirectCode),
    };

    private static Google.Protobuf.ByteString Body(HttpBody? body)
    {
        if (body?.String is { } text)
        {
            return Google.Protobuf.ByteString.CopyFromUtf8(text);
        }

        if (body?.Bytes is { } base64)
        {
            try
            {
                return Google.Protobuf.ByteString.FromBase64(base64);
            }
            catch (FormatException)
            {
                // Validation reports the field; an invalid body is sent empty rather than failing the snapshot.
                return Google.Protobuf.ByteString.Empty;
            }
        }

        return Google.Protobuf.ByteString.Empty;
    }

    private static RouteRewrite? Rewrite(HttpRewrite rewrite)
    {
        var translated = new RouteRewrite { Authority = rewrite.Authority ?? "" };
        if (rewrite.UriRegexRewrite is { Match: { Length: > 0 } pattern } regex)
        {
            translated.Regex = pattern;
            translated.RegexSubstitution = regex.Rewrite ?? "";
        }
        else if (!string.IsNullOrEmpty(rewrite.Uri))
        {
            translated.UriPrefix = rewrite.Uri;
        }

        return translated.Authority.Length == 0 && translated.Regex.Length == 0 && translated.UriPrefix.Length == 0 ? null : translated;
    }

    private static HttpHeaderOperations? HeaderOperations(Config.Model.HeaderOperations? operations)
    {
        if (operations is null || (operations.Set.IsEmpty && operations.Add.IsEmpty && operations.Remove.IsEmpty))
        {
            return null;
        }

        var translated = new HttpHeaderOperations();
        foreach (var (name, value) in operations.Set)
        {
            translated.Set.Add(new HttpHeaderValue { Name = name.ToLowerInvariant(), Value = value });
        }

        foreach (var (name, value) in operations.Add)
        {
            translated.Add.Add(new HttpHeaderValue { Name = name.ToLowerInvariant(), Value = value });
        }

        foreach (var name in operations.Remove)
        {
            translated.Remove.Add(name.ToLowerInvariant());
        }

        return translated;
    }

    private static RouteFault? Fault(HttpFaultInjection fault)
    {
        var translated = new RouteFault();
        // Istio leaves Envoy's percentage unset when the VirtualService gives none: no request is faulted.
        if (fault.Delay is { FixedDelay: { } delay } faultDelay)
        {
            translated.DelayMs = Milliseconds(delay);
            translated.DelayPerMillion = PerMillion(faultDelay.Percentage, faultDelay.Percent, 0);
        }

        if (fault.Abort is { } abort)
        {
            if (abort.HttpStatus is { } status)
            {
                translated.AbortHttpStatus = (uint)status;
            }
            else if (abort.GrpcStatus is { } grpc && GrpcStatusCodes.TryParse(grpc, out var code))
            {
                translated.AbortGrpcStatus = code;
                translated.HasAbortGrpcStatus = true;
            }

            if (translated.AbortHttpStatus != 0 || translated.HasAbortGrpcStatus)
            {
                translated.AbortPerMillion = PerMillion(abort.Percentage, null, 0);
            }
        }

        return translated.DelayMs == 0 && translated.AbortHttpStatus == 0 && !translated.HasAbortGrpcStatus ? null : translated;
    }

    private static void AddMirrors(HttpRoute http, Route route, Func<Destination, string> clusterFor)
    {
        if (http.Mirror is { } mirror)
        {
            route.Mirrors.Add(new RouteMirror { Cluster = clusterFor(mirror), PerMillion = PerMillion(http.MirrorPercentage, http.MirrorPercent, Million) });
        }

        foreach (var policy in http.Mirrors)
        {
            route.Mirrors.Add(new RouteMirror { Cluster = clusterFor(policy.Destination), PerMillion = PerMillion(policy.Percentage, null, Million) });
        }
    }

    private static RouteCorsPolicy Cors(CorsPolicy cors)
    {
        var translated = new RouteCorsPolicy
        {
            AllowMethods = string.Join(',', cors.AllowMethods),
            AllowHeaders = string.Join(',', cors.AllowHeaders),
            ExposeHeaders = string.Join(',', cors.ExposeHeaders),
            MaxAge = cors.MaxAge is { } maxAge ? ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture) : "",
            AllowCredentials = cors.AllowCredentials == true,
            IgnoreUnmatchedPreflights = cors.UnmatchedPreflights == UnmatchedPreflights.Ignore,
        };

        foreach (var origin in cors.AllowOrigin)
        {
            translated.AllowOrigins.Add(new ProtoStringMatch { Exact = origin });
        }

        foreach (var origin in cors.AllowOrigins)
        {
            if (Match(origin) is { } match)
            {
                translated.AllowOrigins.Add(match);
            }
        }

        return translated;
    }

    private static ProtoStringMatch? Match(ConfigStringMatch match) =>
        match.Exact is { } exact ? new ProtoStringMatch { Exact = exact }
        : match.Prefix is { } prefix ? new ProtoStringMatch { Prefix = prefix }
        : match.Regex is { } regex ? new ProtoStringMatch { Regex = regex }
        : null;
}
