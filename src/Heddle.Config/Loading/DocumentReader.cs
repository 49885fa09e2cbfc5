using Heddle.Config.Binding;
using Heddle.Config.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Heddle.Config.Loading;

/// <summary>Reads the resources of one YAML text, each document bound on its own so one bad document spoils nothing else.</summary>
internal static class DocumentReader
{
    private static readonly string[] EnvelopeFields = ["apiVersion", "kind", "metadata", "spec", "status"];

    /// <summary>A resource read from a document, with the problems found in that document.</summary>
    public sealed record Item(Resource? Resource, DocumentContext Context);

    public static List<Item> Read(string yaml, string file, string? directory, List<Diagnostic> fileDiagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            // The rest of a file after a syntax error cannot be trusted, so the file is left out whole.
            fileDiagnostics.Add(new Diagnostic(Severity.Error, file, (int)exception.Start.Line, "", $"invalid YAML: {InnermostMessage(exception)}"));
            return [];
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet fails this way on some malformed flow collections (an unclosed "{"), without a position.
            fileDiagnostics.Add(new Diagnostic(Severity.Error, file, LastScannableLine(yaml), "", "invalid YAML: unexpected end of a flow mapping or sequence (a missing '}' or ']'?)"));
            return [];
        }
        var items = new List<Item>();
        foreach (var document in stream.Documents)
        {
            ReadNode(document.RootNode, file, directory, items);
        }
        return items;
    }

    private static void ReadNode(YamlNode root, string file, string? directory, List<Item> items)
    {
        var context = new DocumentContext(file);
        if (YamlScalars.IsNull(root))
        {
            return;
        }
        if (root is not YamlMappingNode mapping)
        {
            context.Error((int)root.Start.Line, "", $"expected a resource (a mapping with apiVersion, kind, metadata and spec), got {YamlScalars.Describe(root)}");
            items.Add(new Item(null, context));
            return;
        }
        string? apiVersion = ReadString(mapping, "apiVersion", context);
        string? kind = ReadString(mapping, "kind", context);
        if (apiVersion is null || kind is null)
        {
            items.Add(new Item(null, context));
            return;
        }
        if (apiVersion == "v1" && kind == "List")
        {
            ReadList(mapping, file, directory, items, context);
            return;
        }
        var resourceKind = KindRegistry.Find(kind);
        if (resourceKind is null || !resourceKind.ApiVersions.Contains(apiVersion))
        {
            ReportUnsupported(mapping, apiVersion, kind, resourceKind, context);
            items.Add(new Item(null, context));
            return;
        }
        items.Add(new Item(Bind(mapping, resourceKind, apiVersion, file, directory, context), context));
    }

    private static Resource Bind(YamlMappingNode mapping, ResourceKind kind, string apiVersion, string file, string? directory, DocumentContext context)
    {
        var binder = new YamlBinder(context);
        var resource = (Resource)Activator.CreateInstance(kind.ResourceType)!;
        var metadata = new ObjectMeta();
        object spec = Activator.CreateInstance(kind.SpecType)!;
        bool hasMetadata = false;
        bool hasSpec = false;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            int line = (int)keyNode.Start.Line;
            context.Lines.TryAdd(key, line);
            switch (key)
            {
                case "apiVersion" or "kind" or "status":
                    break;
                case "metadata":
                    hasMetadata = true;
                    if (binder.TryBind(OrEmpty(valueNode), typeof(ObjectMeta), "metadata", [], out object? boundMetadata))
                    {
                        metadata = (ObjectMeta)boundMetadata!;
                    }
                    break;
                case "spec":
                    hasSpec = true;
                    if (binder.TryBind(OrEmpty(valueNode), kind.SpecType, "spec", [], out object? boundSpec))
                    {
                        spec = boundSpec!;
                    }
                    break;
                default:
                    string? suggestion = Suggestions.Closest(key, EnvelopeFields);
                    context.Error(line, key, suggestion is null
                        ? $"unknown field \"{key}\"; expected apiVersion, kind, metadata, spec"
                        : $"unknown field \"{key}\" (did you mean \"{suggestion}\"?)");
                    break;
            }
        }
        int documentLine = (int)mapping.Start.Line;
        if (!hasMetadata)
        {
            context.Error(documentLine, "metadata", "required field is missing");
        }
        if (!hasSpec)
        {
            // An empty spec still gets its own required fields reported, as if written "spec: {}".
            context.Error(documentLine, "spec", "required field is missing");
        }
        var source = new SourceLocation(file, documentLine)
        {
            Directory = directory,
            FieldLines = context.Lines.ToImmutableDictionary(StringComparer.Ordinal),
        };
        typeof(Resource).GetProperty(nameof(Resource.ApiVersion))!.SetValue(resource, apiVersion);
        typeof(Resource).GetProperty(nameof(Resource.Metadata))!.SetValue(resource, metadata);
        typeof(Resource).GetProperty(nameof(Resource.Source))!.SetValue(resource, source);
        kind.ResourceType.GetProperty("Spec")!.SetValue(resource, spec);
        return resource;
    }

    // "spec:" with nothing after it is read as an empty spec, so its missing required fields are named.
    private static YamlNode OrEmpty(YamlNode node) => YamlScalars.IsNull(node) ? new YamlMappingNode() : node;

    private static void ReadList(YamlMappingNode mapping, string file, string? directory, List<Item> items, DocumentContext context)
    {
        var key = new YamlScalarNode("items");
        if (!mapping.Children.TryGetValue(key, out var itemsNode) || itemsNode is not YamlSequenceNode sequence)
        {
            context.Error((int)mapping.Start.Line, "items", "a v1 List needs a list of resources in \"items\"");
            items.Add(new Item(null, context));
            return;
        }
        foreach (var item in sequence.Children)
        {
            ReadNode(item, file, directory, items);
        }
    }

    private static void ReportUnsupported(YamlMappingNode mapping, string apiVersion, string kind, ResourceKind? known, DocumentContext context)
    {
        int kindLine = LineOf(mapping, "kind");
        int apiVersionLine = LineOf(mapping, "apiVersion");
        if (known is not null)
        {
            context.Error(apiVersionLine, "apiVersion", $"{kind} is read from apiVersion {string.Join(", ", known.ApiVersions)}, got \"{apiVersion}\"");
        }
        else if (KindRegistry.IsKnownUnused(apiVersion, kind))
        {
            context.Warning(kindLine, "kind", $"Heddle does not read {apiVersion} {kind}; the resource is ignored");
        }
        else
        {
            string? suggestion = Suggestions.Closest(kind, KindRegistry.AllKindNames);
            context.Error(kindLine, "kind", suggestion is not null && suggestion != kind
                ? $"unknown kind \"{kind}\" (did you mean \"{suggestion}\"?)"
                : $"unknown kind \"{kind}\" in apiVersion \"{apiVersion}\"; Heddle reads {string.Join(", ", KindRegistry.Supported.Select(k => k.Kind))}");
        }
    }

    private static string? ReadString(YamlMappingNode mapping, string key, DocumentContext context)
    {
        if (!mapping.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            context.Error((int)mapping.Start.Line, key, "required field is missing");
            return null;
        }
        if (node is not YamlScalarNode scalar || YamlScalars.Classify(scalar) != YamlScalars.Kind.String || string.IsNullOrEmpty(scalar.Value))
        {
            context.Error((int)node.Start.Line, key, $"expected a string, got {YamlScalars.Describe(node)}");
            return null;
        }
        return scalar.Value;
    }

    private static int LineOf(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (int)node.Start.Line : (int)mapping.Start.Line;

    private static int LastScannableLine(string yaml)
    {
        var scanner = new Scanner(new StringReader(yaml));
        int line = 1;
        try
        {
            while (scanner.MoveNext())
            {
                line = (int)scanner.Current!.Start.Line;
            }
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException)
        {
            // The position of the last token read is the best hint left.
        }
        return line;
    }

    private static string InnermostMessage(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }
        return exception.Message;
    }
}
