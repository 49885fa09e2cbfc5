using System.Net;
using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A ServiceEntry's hosts, ports, resolution and endpoints agree with each other, as Istio requires.</summary>
internal sealed class ServiceEntryRule : ResourceRule<ServiceEntry>
{
    protected override void Check(ServiceEntry resource, RuleContext context)
    {
        var spec = resource.Spec;
        var resolution = spec.Resolution ?? ServiceEntryResolution.None;
        for (int i = 0; i < spec.Hosts.Length; i++)
        {
            string host = spec.Hosts[i];
            if (!Names.IsHost(host) || host == "*")
            {
                context.Error(resource, $"spec.hosts[{i}]", $"expected a host name such as \"api.example.com\" or \"*.example.com\", got \"{host}\"");
            }
            else if (host.StartsWith('*') && resolution is ServiceEntryResolution.Dns or ServiceEntryResolution.DnsRoundRobin && spec.Endpoints.IsEmpty)
            {
                context.Error(resource, $"spec.hosts[{i}]", $"the wildcard host \"{host}\" cannot be resolved with DNS; list endpoints or use resolution NONE or DYNAMIC_DNS");
            }
        }
        var numbers = new HashSet<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < spec.Ports.Length; i++)
        {
            var port = spec.Ports[i];
            if (!numbers.Add(port.Number))
            {
                context.Error(resource, $"spec.ports[{i}].number", $"port {port.Number} is declared twice");
            }
            if (port.Name.Length > 0 && !names.Add(port.Name))
            {
                context.Error(resource, $"spec.ports[{i}].name", $"port name \"{port.Name}\" is declared twice");
            }
        }
        for (int i = 0; i < spec.Addresses.Length; i++)
        {
            if (spec.Addresses[i].Contains('/', StringComparison.Ordinal) && resolution is not (ServiceEntryResolution.None or ServiceEntryResolution.Static))
            {
                context.Error(resource, $"spec.addresses[{i}]", "CIDR addresses are allowed only with resolution NONE or STATIC");
            }
        }
        CheckEndpoints(resource, resolution, names, context);
    }

    private static void CheckEndpoints(ServiceEntry resource, ServiceEntryResolution resolution, HashSet<string> portNames, RuleContext context)
    {
        var endpoints = resource.Spec.Endpoints;
        if (resolution == ServiceEntryResolution.None && !endpoints.IsEmpty)
        {
            context.Error(resource, "spec.endpoints", "resolution NONE forwards to the original destination and cannot list endpoints; use STATIC or DNS");
        }
        if (resolution == ServiceEntryResolution.DnsRoundRobin && endpoints.Length > 1)
        {
            context.Error(resource, "spec.endpoints", "resolution DNS_ROUND_ROBIN allows at most one endpoint");
        }
        for (int i = 0; i < endpoints.Length; i++)
        {
            var endpoint = endpoints[i];
            string path = $"spec.endpoints[{i}]";
            if (string.IsNullOrEmpty(endpoint.Address))
            {
                context.Error(resource, $"{path}.address", "required field is missing");
            }
            else if (resolution == ServiceEntryResolution.Static && !IPAddress.TryParse(endpoint.Address, out _)
                && !endpoint.Address.StartsWith("unix://", StringComparison.Ordinal))
            {
                context.Error(resource, $"{path}.address", $"resolution STATIC needs IP addresses, got \"{endpoint.Address}\"");
            }
            foreach (string name in endpoint.Ports.Keys)
            {
                if (!portNames.Contains(name))
                {
                    context.Error(resource, FieldPath.Key($"{path}.ports", name), $"the ServiceEntry declares no port named \"{name}\"");
                }
            }
        }
    }
}
