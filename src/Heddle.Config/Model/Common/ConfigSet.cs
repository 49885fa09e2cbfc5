namespace Heddle.Config.Model;

/// <summary>An immutable, consistent set of configuration resources, grouped by kind in load order.</summary>
public sealed record ConfigSet
{
    /// <summary>A set with no resources.</summary>
    public static ConfigSet Empty { get; } = new();

    /// <summary>Kubernetes Services.</summary>
    public ImmutableArray<KubernetesService> Services { get; init; } = [];

    /// <summary>Istio ServiceEntries.</summary>
    public ImmutableArray<ServiceEntry> ServiceEntries { get; init; } = [];

    /// <summary>Istio WorkloadEntries.</summary>
    public ImmutableArray<WorkloadEntry> WorkloadEntries { get; init; } = [];

    /// <summary>Istio VirtualServices.</summary>
    public ImmutableArray<VirtualService> VirtualServices { get; init; } = [];

    /// <summary>Istio DestinationRules.</summary>
    public ImmutableArray<DestinationRule> DestinationRules { get; init; } = [];

    /// <summary>Istio AuthorizationPolicies.</summary>
    public ImmutableArray<AuthorizationPolicy> AuthorizationPolicies { get; init; } = [];

    /// <summary>Istio RequestAuthentications.</summary>
    public ImmutableArray<RequestAuthentication> RequestAuthentications { get; init; } = [];

    /// <summary>Heddle LocalWorkloads.</summary>
    public ImmutableArray<LocalWorkload> LocalWorkloads { get; init; } = [];

    /// <summary>Heddle MeshConfigs (at most one is valid).</summary>
    public ImmutableArray<MeshSettings> MeshConfigs { get; init; } = [];

    /// <summary>The mesh-wide outbound traffic policy: the first MeshConfig's, ALLOW_ANY when none sets it.</summary>
    public OutboundTrafficPolicyMode OutboundTrafficPolicy =>
        MeshConfigs.IsEmpty ? OutboundTrafficPolicyMode.AllowAny : MeshConfigs[0].Spec.OutboundTrafficPolicy?.Mode ?? OutboundTrafficPolicyMode.AllowAny;

    /// <summary>Whether HTTP/1.1 requests travel as HTTP/2 between sidecars unless a DestinationRule says otherwise: the
    /// first MeshConfig's <c>h2UpgradePolicy</c> is UPGRADE.</summary>
    public bool MeshH2Upgrade => !MeshConfigs.IsEmpty && MeshConfigs[0].Spec.H2UpgradePolicy == H2UpgradePolicy.Upgrade;

    /// <summary>Istio PeerAuthentications.</summary>
    public ImmutableArray<PeerAuthentication> PeerAuthentications { get; init; } = [];

    /// <summary>Istio Telemetries.</summary>
    public ImmutableArray<Telemetry> Telemetries { get; init; } = [];

    /// <summary>Every resource, kind by kind in the order of the properties above.</summary>
    public IEnumerable<Resource> All =>
        Services.Cast<Resource>()
            .Concat(ServiceEntries)
            .Concat(WorkloadEntries)
            .Concat(VirtualServices)
            .Concat(DestinationRules)
            .Concat(AuthorizationPolicies)
            .Concat(RequestAuthentications)
            .Concat(PeerAuthentications)
            .Concat(LocalWorkloads)
            .Concat(MeshConfigs)
            .Concat(Telemetries);

    /// <summary>A set holding <paramref name="resources"/>, grouped by kind, keeping their order.</summary>
    public static ConfigSet From(IEnumerable<Resource> resources)
    {
        var list = resources as IReadOnlyCollection<Resource> ?? resources.ToList();
        return new ConfigSet
        {
            Services = [.. list.OfType<KubernetesService>()],
            ServiceEntries = [.. list.OfType<ServiceEntry>()],
            WorkloadEntries = [.. list.OfType<WorkloadEntry>()],
            VirtualServices = [.. list.OfType<VirtualService>()],
            DestinationRules = [.. list.OfType<DestinationRule>()],
            AuthorizationPolicies = [.. list.OfType<AuthorizationPolicy>()],
            RequestAuthentications = [.. list.OfType<RequestAuthentication>()],
            LocalWorkloads = [.. list.OfType<LocalWorkload>()],
            MeshConfigs = [.. list.OfType<MeshSettings>()],
            PeerAuthentications = [.. list.OfType<PeerAuthentication>()],
            Telemetries = [.. list.OfType<Telemetry>()],
        };
    }
}
