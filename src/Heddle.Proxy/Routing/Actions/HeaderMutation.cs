using System.Net.Http;
using Heddle.Discovery.V1;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>
/// Header changes of a route or destination, in Envoy's order: remove, then set (replace), then add (append).
/// Setting <c>host</c> or <c>:authority</c> on a request changes the authority sent upstream.
/// </summary>
internal sealed class HeaderMutation
{
    private readonly (string Name, string Value)[] _set;
    private readonly (string Name, string Value)[] _add;
    private readonly string[] _remove;

    public HeaderMutation((string Name, string Value)[] set, (string Name, string Value)[] add, string[] remove)
    {
        _set = set;
        _add = add;
        _remove = remove;
    }

    public static HeaderMutation? From(HttpHeaderOperations? source)
    {
        if (source is null || (source.Set.Count == 0 && source.Add.Count == 0 && source.Remove.Count == 0))
        {
            return null;
        }

        var set = new (string, string)[source.Set.Count];
        for (var i = 0; i < set.Length; i++)
        {
            set[i] = (Normalize(source.Set[i].Name), source.Set[i].Value);
        }

        var add = new (string, string)[source.Add.Count];
        for (var i = 0; i < add.Length; i++)
        {
            add[i] = (Normalize(source.Add[i].Name), source.Add[i].Value);
        }

        var remove = new string[source.Remove.Count];
        for (var i = 0; i < remove.Length; i++)
        {
            remove[i] = Normalize(source.Remove[i]);
        }

        return new HeaderMutation(set, add, remove);
    }

    /// <summary>Changes the request about to be sent upstream.</summary>
    public void Apply(HttpRequestMessage request)
    {
        foreach (var name in _remove)
        {
            Remove(request, name);
        }

        foreach (var (name, value) in _set)
        {
            if (name == "host")
            {
                request.Headers.Host = value;
                continue;
            }

            Remove(request, name);
            Add(request, name, value);
        }

        foreach (var (name, value) in _add)
        {
            if (name == "host")
            {
                request.Headers.Host = value;
                continue;
            }

            Add(request, name, value);
        }
    }

    /// <summary>Changes the response about to be sent to the client.</summary>
    public void Apply(IHeaderDictionary headers)
    {
        foreach (var name in _remove)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in _set)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in _add)
        {
            headers.Append(name, value);
        }
    }

    private static void Remove(HttpRequestMessage request, string name)
    {
        request.Headers.Remove(name);
        request.Content?.Headers.Remove(name);
    }

    private static void Add(HttpRequestMessage request, string name, string value)
    {
        if (!request.Headers.TryAddWithoutValidation(name, value))
        {
            // Content headers (content-type, ...) live on the content.
            request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static string Normalize(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower == ":authority" ? "host" : lower;
    }
}
