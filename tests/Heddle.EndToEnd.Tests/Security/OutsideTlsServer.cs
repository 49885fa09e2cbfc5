using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>An HTTPS server outside the mesh that requires a client certificate, with its own CA: the CA, a server
/// certificate for <see cref="HostName"/> and a client certificate are written as PEM files for a DestinationRule.</summary>
internal sealed class OutsideTlsServer : IAsyncDisposable
{
    public const string HostName = "secure.example.test";

    private readonly WebApplication _app;

    private OutsideTlsServer(WebApplication app, int port, string directory)
    {
        _app = app;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string ClientCertificateFile => Path.Combine(Directory, "client.pem");

    public string ClientKeyFile => Path.Combine(Directory, "client-key.pem");

    public static async Task<OutsideTlsServer> StartAsync()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("heddle-outside-tls-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Outside CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());

        var server = Issue(ca, "CN=" + HostName, HostName, "1.3.6.1.5.5.7.3.1", now, out _);
        Issue(ca, "CN=mesh-egress", null, "1.3.6.1.5.5.7.3.2", now, out var client);
        File.WriteAllText(Path.Combine(directory, "client.pem"), client.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "client-key.pem"), client.Key.ExportPkcs8PrivateKeyPem());

        string caSubject = ca.Subject;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = server,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == caSubject,
        })));
        var app = builder.Build();
        app.MapGet("/", (HttpContext context) => $"secure hello to {context.Connection.ClientCertificate?.Subject}");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OutsideTlsServer(app, new Uri(address).Port, directory);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string? dnsName, string usage, DateTimeOffset now, out (X509Certificate2 Certificate, ECDsa Key) issued)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (dnsName is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddHours(2), RandomNumberGenerator.GetBytes(8));
        var withKey = certificate.CopyWithPrivateKey(key);
        issued = (withKey, key);
        return withKey;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
