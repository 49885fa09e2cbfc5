using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Authorization;

/// <summary>
/// Calls a CUSTOM policy's external authorizer over HTTP, as Envoy's ext_authz HTTP service does: the original method,
/// the path prefix followed by the original path and query, Host, Authorization and the headers the provider includes,
/// and no body. 200 allows the request (with <c>headersToUpstreamOnAllow</c> copied onto it); any other status denies
/// it with the authorizer's status, body and <c>headersToDownstreamOnDeny</c> (all of its headers when the provider
/// names none). An authorizer that cannot be reached or does not answer in time allows when <c>failOpen</c>, else
/// denies with <c>statusOnError</c> (403).
/// </summary>
internal sealed class ExternalAuthorizer(TimeProvider timeProvider, ILogger logger) : IDisposable
{
    private const int MaxBodyBytes = 64 * 1024;

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
    });

    /// <summary>Asks the authorizer; true when the request may go on, false when the denial has been written.</summary>
    public async Task<bool> CheckAsync(HttpContext context, ExternalAuthorizerConfig authorizer)
    {
        if (authorizer.Error is { } error)
        {
            logger.LogWarning("external authorizer {Provider}: {Error}", authorizer.Name, error);
            return await FailAsync(context, authorizer).ConfigureAwait(false);
        }

        using var check = CreateCheck(context.Request, authorizer);
        using var timeout = new CancellationTokenSource(authorizer.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
        HttpResponseMessage answer;
        try
        {
            answer = await _client.SendAsync(check, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            logger.LogWarning("external authorizer {Provider} at {Address} failed: {Error}", authorizer.Name, authorizer.BaseAddress,
                timeout.IsCancellationRequested ? $"no answer within {authorizer.Timeout.TotalMilliseconds:0} ms" : exception.Message);
            return await FailAsync(context, authorizer).ConfigureAwait(false);
        }

        using (answer)
        {
            if (answer.StatusCode == System.Net.HttpStatusCode.OK)
            {
                Allow(context, answer, authorizer);
                return true;
            }

            await DenyAsync(context, answer, authorizer, linked.Token).ConfigureAwait(false);
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    private static HttpRequestMessage CreateCheck(HttpRequest request, ExternalAuthorizerConfig authorizer)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        var check = new HttpRequestMessage(new HttpMethod(request.Method), authorizer.BaseAddress + target)
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        check.Headers.Host = request.Host.Value;
        foreach (var header in request.Headers)
        {
            if (header.Key[0] != ':' && authorizer.Includes(header.Key) && !IsHopByHop(header.Key)
                && !header.Key.Equals(Heddle.Discovery.MeshHeaders.InboundPort, StringComparison.OrdinalIgnoreCase))
            {
                check.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        foreach (var (name, value) in authorizer.AdditionalHeaders)
        {
            check.Headers.Remove(name);
            check.Headers.TryAddWithoutValidation(name, value);
        }

        return check;
    }

    private static void Allow(HttpContext context, HttpResponseMessage answer, ExternalAuthorizerConfig authorizer)
    {
        var headers = context.Request.Headers;
        foreach (var name in authorizer.HeadersToUpstream)
        {
            if (Values(answer, name) is { } values)
            {
                headers[name] = values;
            }
        }

        if (authorizer.HeadersToDownstreamOnAllow.Length == 0)
        {
            return;
        }

        var added = new List<KeyValuePair<string, string[]>>();
        foreach (var name in authorizer.HeadersToDownstreamOnAllow)
        {
            if (Values(answer, name) is { } values)
            {
                added.Add(new(name, values));
            }
        }

        if (added.Count > 0)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, added) = ((HttpResponse, List<KeyValuePair<string, string[]>>))state;
                foreach (var (name, values) in added)
                {
                    response.Headers[name] = values;
                }

                return Task.CompletedTask;
            }, (context.Response, added));
        }
    }

    private static async Task DenyAsync(HttpContext context, HttpResponseMessage answer, ExternalAuthorizerConfig authorizer, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        if (authorizer.HeadersToDownstreamOnDeny.Length == 0)
        {
            Copy(answer.Headers, response);
            Copy(answer.Content.Headers, response);
        }
        else
        {
            foreach (var name in authorizer.HeadersToDownstreamOnDeny)
            {
                if (Values(answer, name) is { } values)
                {
                    response.Headers[name] = values;
                }
            }
        }

        var body = await ReadBodyAsync(answer.Content, cancellationToken).ConfigureAwait(false);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<bool> FailAsync(HttpContext context, ExternalAuthorizerConfig authorizer)
    {
        if (authorizer.FailOpen)
        {
            return true;
        }

        var response = context.Response;
        response.StatusCode = authorizer.StatusOnError;
        response.ContentLength = 0;
        await response.CompleteAsync().ConfigureAwait(false);
        return false;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return buffer.AsMemory(0, length);
        }
    }

    private static string[]? Values(HttpResponseMessage answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) || answer.Content.Headers.TryGetValues(name, out values) ? [.. values] : null;

    private static void Copy(HttpHeaders from, HttpResponse response)
    {
        foreach (var header in from)
        {
            if (!IsHopByHop(header.Key) && !header.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                && !header.Key.Equals("date", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("server", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[header.Key] = header.Value.ToArray();
            }
        }
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("connection", StringComparison.OrdinalIgnoreCase) || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase) || name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase) || name.Equals("content-length", StringComparison.OrdinalIgnoreCase);
}
