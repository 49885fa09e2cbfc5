namespace Heddle.Config.Loading;

/// <summary>A kind the loader reads: the apiVersions it accepts and the record it binds to.</summary>
internal sealed record ResourceKind(string Kind, ImmutableArray<string> ApiVersions, Type ResourceType, Type SpecType);
