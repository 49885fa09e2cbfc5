using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>What the security tests do from outside the mesh: curl and openssl as real processes, certificates
/// signed with the mesh's own CA files, and reading a certificate's SPIFFE id.</summary>
internal static class SecurityTools
{
    /// <summary>Runs a program to completion (at most 30 s) and returns its exit code and all its output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string? input = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("HTTP_PROXY");
        info.Environment.Remove("http_proxy");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A plaintext request from outside the mesh to a sidecar's inbound listener, as the application port
    /// would receive it with traffic capture: curl, no sidecar, no certificate.</summary>
    public static Task<(int ExitCode, string Output)> PlaintextCurlAsync(string podIp, int appPort, string path) =>
        RunAsync("curl", ["-sS", "--max-time", "5", "--noproxy", "*", "-o", "/dev/null", "-w", "%{http_code}", "-H", $"x-heddle-inbound-port: {appPort}", $"http://{podIp}:15006{path}"]);

    /// <summary><c>openssl s_client</c> against a sidecar's inbound listener, sending one HTTP/1.1 request.</summary>
    public static Task<(int ExitCode, string Output)> OpenSslAsync(string podIp, int appPort, string? certificateFile = null, string? keyFile = null)
    {
        List<string> arguments = ["s_client", "-connect", $"{podIp}:15006", "-alpn", "http/1.1", "-ign_eof", "-showcerts"];
        if (certificateFile is not null)
        {
            arguments.AddRange(["-cert", certificateFile, "-key", keyFile!]);
        }

        string request = $"GET /headers HTTP/1.1\r\nHost: httpbin.foo:8000\r\nx-heddle-inbound-port: {appPort}\r\nConnection: close\r\n\r\n";
        return RunAsync("openssl", arguments, request);
    }

    /// <summary>Writes a client certificate for <paramref name="spiffeId"/> signed by the mesh's CA (the files
    /// `heddle up` keeps in its run directory) and returns the certificate and key files.</summary>
    public static (string Certificate, string Key) IssueFromMeshCa(string runDirectory, string spiffeId, string directory)
    {
        string caDirectory = Path.Combine(runDirectory, "ca");
        using var authority = X509Certificate2.CreateFromPemFile(Path.Combine(caDirectory, "ca-cert.pem"), Path.Combine(caDirectory, "ca-key.pem"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=outside-tester", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(spiffeId));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(authority, now.AddMinutes(-1), now.AddHours(1), RandomNumberGenerator.GetBytes(12));
        string certificateFile = Path.Combine(directory, "client-cert.pem");
        string keyFile = Path.Combine(directory, "client-key.pem");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    /// <summary>The first certificate in <paramref name="text"/> (s_client prints the server's).</summary>
    public static X509Certificate2 FirstCertificate(string text)
    {
        int begin = text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        const string end = "-----END CERTIFICATE-----";
        int stop = text.IndexOf(end, begin, StringComparison.Ordinal);
        return X509Certificate2.CreateFromPem(text.AsSpan(begin, stop + end.Length - begin));
    }

    /// <summary>The URI names of a certificate's subject alternative name extension.</summary>
    public static string UriNames(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions["2.5.29.17"];
        return extension is null ? "" : extension.Format(multiLine: false);
    }

    /// <summary>The sidecar's admin config dump.</summary>
    public static async Task<string> ConfigDumpAsync(string podIp)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        return await client.GetStringAsync($"http://{podIp}:15000/config_dump");
    }

    public static string BaseOf(string cidr) => string.Join('.', cidr.Split('/')[0].Split('.').Take(2));

    public static string ProxyExecutable => Path.Combine(RepositoryLayout.Root, "artifacts", "bin", "Heddle.Proxy", RepositoryLayout.Configuration, "heddle-proxy");

    public static IPAddress Address(string text) => IPAddress.Parse(text);

    public static string Lines(string text, string containing) =>
        new StringBuilder().AppendJoin('\n', text.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal))).ToString();
}
