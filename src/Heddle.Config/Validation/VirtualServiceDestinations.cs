using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Enumerates every destination a VirtualService names (routes, mirrors), with its field path.</summary>
internal static class VirtualServiceDestinations
{
    public static IEnumerable<(string Path, Destination Destination)> All(VirtualServiceSpec spec)
    {
        for (int i = 0; i < spec.Http.Length; i++)
        {
            var route = spec.Http[i];
            for (int j = 0; j < route.Route.Length; j++)
            {
                yield return ($"spec.http[{i}].route[{j}].destination", route.Route[j].Destination);
            }
            if (route.Mirror is not null)
            {
                yield return ($"spec.http[{i}].mirror", route.Mirror);
            }
            for (int j = 0; j < route.Mirrors.Length; j++)
            {
                yield return ($"spec.http[{i}].mirrors[{j}].destination", route.Mirrors[j].Destination);
            }
        }
        for (int i = 0; i < spec.Tcp.Length; i++)
        {
            for (int j = 0; j < spec.Tcp[i].Route.Length; j++)
            {
                yield return ($"spec.tcp[{i}].route[{j}].destination", spec.Tcp[i].Route[j].Destination);
            }
        }
        for (int i = 0; i < spec.Tls.Length; i++)
        {
            for (int j = 0; j < spec.Tls[i].Route.Length; j++)
            {
                yield return ($"spec.tls[{i}].route[{j}].destination", spec.Tls[i].Route[j].Destination);
            }
        }
    }
}
