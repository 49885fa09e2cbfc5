using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Heddle.ControlPlane.Registry;

/// <summary>A cheap summary of a configuration directory (names, sizes and write times of its YAML files), which
/// changes whenever a file is saved, added or removed.</summary>
internal static class DirectoryFingerprint
{
    public static string Compute(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return "missing";
        }

        var files = new List<string>();
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                {
                    files.Add(path);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }

        files.Sort(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var path in files)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                continue;
            }

            text.Append(path).Append('\n')
                .Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
