namespace Heddle.Config.Model;

/// <summary>A configuration resource: its type (apiVersion, kind), identity (metadata) and origin (source).</summary>
public abstract record Resource
{
    /// <summary>Sets the apiVersion a resource built in code gets by default.</summary>
    protected Resource(string apiVersion) => ApiVersion = apiVersion;

    /// <summary>The apiVersion as written, e.g. <c>networking.istio.io/v1beta1</c>.</summary>
    public string ApiVersion { get; init; }

    /// <summary>The kind, e.g. <c>VirtualService</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Name, namespace, labels and annotations.</summary>
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>Where the resource was read from.</summary>
    public SourceLocation Source { get; init; } = SourceLocation.None;

    /// <summary>Kind, namespace and name, e.g. <c>VirtualService default/reviews</c>: unique within a <see cref="ConfigSet"/>.</summary>
    public string DisplayName => $"{Kind} {Metadata.Namespace}/{Metadata.Name}";
}

/// <summary>A resource with a typed <c>spec</c>.</summary>
public abstract record Resource<TSpec> : Resource
    where TSpec : new()
{
    /// <summary>Sets the default apiVersion.</summary>
    protected Resource(string apiVersion)
        : base(apiVersion)
    {
    }

    /// <summary>The resource's spec.</summary>
    public TSpec Spec { get; init; } = new();
}
