using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Heddle.Config.Binding;

/// <summary>YAML spellings of enum members: protobuf style (<c>ROUND_ROBIN</c>) unless the enum is <see cref="AsWrittenEnumAttribute"/>.</summary>
internal static class EnumNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, object>> Cache = new();

    public static IReadOnlyDictionary<string, object> Of(Type enumType) => Cache.GetOrAdd(enumType, static type =>
    {
        bool asWritten = type.IsDefined(typeof(AsWrittenEnumAttribute));
        var names = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var member in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            names.Add(asWritten ? member.Name : UpperSnakeCase(member.Name), member.GetValue(null)!);
        }
        return names;
    });

    private static string UpperSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                builder.Append('_');
            }
            builder.Append(char.ToUpperInvariant(name[i]));
        }
        return builder.ToString();
    }
}
