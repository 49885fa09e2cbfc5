using System.Security.Cryptography;
using System.Text;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Security;

/// <summary>
/// The local mesh's proof of identity: <c>heddle up</c> gives every workload a random token and writes
/// <c>&lt;token&gt; &lt;namespace&gt; &lt;service account&gt;</c> lines to a tokens file; a proxy has the identity
/// its token is listed with, whatever its Node claims. The file is read again when it changes.
/// </summary>
public sealed class TokenFileAuthenticator : IProxyAuthenticator
{
    private readonly string _path;
    private readonly string _trustDomain;
    private readonly Lock _lock = new();
    private DateTime _readAt;
    private long _readLength = -1;
    private Dictionary<string, (string Namespace, string ServiceAccount)> _tokens = new(StringComparer.Ordinal);

    public TokenFileAuthenticator(string path, string trustDomain = WorkloadIdentity.DefaultTrustDomain)
    {
        _path = path;
        _trustDomain = trustDomain;
    }

    public AuthenticationResult Authenticate(Node node)
    {
        if (string.IsNullOrEmpty(node.Token))
        {
            return AuthenticationResult.Failure("the proxy presented no token");
        }

        var tokens = Tokens();
        // Compare in constant time per entry, so that response timing does not reveal a token's prefix.
        var presented = Encoding.UTF8.GetBytes(node.Token);
        foreach (var (token, identity) in tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token)))
            {
                return AuthenticationResult.Success(new WorkloadIdentity(_trustDomain, identity.Namespace, identity.ServiceAccount));
            }
        }

        return AuthenticationResult.Failure("the proxy's token is not known to the control plane");
    }

    /// <summary>Writes a tokens file (owner-only permissions) for the given tokens.</summary>
    public static void Write(string path, IEnumerable<(string Token, string Namespace, string ServiceAccount)> tokens)
    {
        var text = new StringBuilder();
        foreach (var (token, @namespace, serviceAccount) in tokens)
        {
            text.Append(token).Append(' ').Append(@namespace).Append(' ').Append(serviceAccount).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    private Dictionary<string, (string Namespace, string ServiceAccount)> Tokens()
    {
        lock (_lock)
        {
            var info = new FileInfo(_path);
            var length = info.Exists ? info.Length : -1;
            var writtenAt = info.Exists ? info.LastWriteTimeUtc : default;
            if (length == _readLength && writtenAt == _readAt)
            {
                return _tokens;
            }

            var tokens = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
            if (info.Exists)
            {
                foreach (var line in File.ReadAllLines(_path))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 3)
                    {
                        tokens[parts[0]] = (parts[1], parts[2]);
                    }
                }
            }

            _tokens = tokens;
            _readLength = length;
            _readAt = writtenAt;
            return tokens;
        }
    }
}
