using System.Diagnostics.CodeAnalysis;
using Heddle.Discovery.V1;

namespace Heddle.Proxy.Discovery;

/// <summary>Applies a full or delta response onto the resources of the snapshot the proxy serves.</summary>
internal static class DeltaApplier
{
    public static bool TryApply(
        ProxySnapshot current,
        DiscoveryResponse response,
        [NotNullWhen(true)] out Dictionary<string, Resource>? resources,
        [NotNullWhen(false)] out string? reason)
    {
        resources = null;
        if (string.IsNullOrEmpty(response.Version))
        {
            reason = "the response has no version";
            return false;
        }

        var isFull = response.BaseVersion.Length == 0;
        if (!isFull && response.BaseVersion != current.Version)
        {
            reason = $"version {response.Version} is a delta on version '{response.BaseVersion}', but the proxy serves version '{current.Version}'";
            return false;
        }

        var result = isFull
            ? new Dictionary<string, Resource>(response.Upserted.Count, StringComparer.Ordinal)
            : new Dictionary<string, Resource>(current.Resources, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        if (!isFull)
        {
            foreach (var name in response.Removed)
            {
                if (!seen.Add(name))
                {
                    reason = $"resource '{name}' is named twice in version {response.Version}";
                    return false;
                }

                result.Remove(name);
            }
        }

        foreach (var resource in response.Upserted)
        {
            if (string.IsNullOrEmpty(resource.Name))
            {
                reason = $"a resource of version {response.Version} has no name";
                return false;
            }

            if (!seen.Add(resource.Name))
            {
                reason = $"resource '{resource.Name}' is named twice in version {response.Version}";
                return false;
            }

            result[resource.Name] = resource;
        }

        resources = result;
        reason = null;
        return true;
    }
}
