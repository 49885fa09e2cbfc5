using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Heddle.Proxy.Http1;

/// <summary>
/// The lean path's request as an <see cref="HttpRequest"/>, for the engines that read one (the authorization
/// policies): one context per downstream connection, refilled from the head for each request that needs it. Only
/// workloads with authorization policies pay for it (the strings it makes); the decision is the general path's own.
/// </summary>
internal sealed class RequestAdapter(IPEndPoint? remote, IPEndPoint? local)
{
    private readonly DefaultHttpContext _context = CreateContext(remote, local);

    public HttpRequest Fill(RequestHead head)
    {
        var request = _context.Request;
        request.Method = head.Method!;
        request.Scheme = "http";
        request.Protocol = "HTTP/1.1";
        request.Host = new HostString(new string(head.Authority));
        request.Path = new PathString(new string(head.PathChars));
        request.QueryString = head.Query.Length > 0 ? new QueryString(new string(head.QueryChars)) : QueryString.Empty;
        var headers = request.Headers;
        headers.Clear();
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var name = new string(head.Name(i));
            var value = new string(head.Value(i));
            headers[name] = headers.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }

        return request;
    }

    private static DefaultHttpContext CreateContext(IPEndPoint? remote, IPEndPoint? local)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote?.Address;
        context.Connection.RemotePort = remote?.Port ?? 0;
        context.Connection.LocalIpAddress = local?.Address;
        context.Connection.LocalPort = local?.Port ?? 0;
        return context;
    }
}
