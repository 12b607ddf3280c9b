using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.Security;

/// <summary>Data-protection keys encrypted at rest with a configured certificate, and still readable after a restart.</summary>
public sealed class KeyProtectionTests : IDisposable
{
    private const string Password = "pfx-Password-1!";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kefu-tests", "cert-" + Guid.NewGuid().ToString("N"));

    public KeyProtectionTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task WithACertificate_KeysAreStoredEncrypted_AndCookiesSurviveARestart_ButNotWithoutTheCertificate()
    {
        var pfx = SelfSignedPfx();
        var settings = new Dictionary<string, string> { ["Kefu:Keys:CertificatePath"] = pfx, ["Kefu:Keys:CertificatePassword"] = Password };
        string dataDirectory;
        string cookie;
        await using (var first = new KefuFactory { Settings = settings }.Start())
        {
            dataDirectory = first.DataDirectory;
            cookie = await ConsoleSession.CookieHeaderAsync(first);
        }

        var keyFiles = Directory.GetFiles(Path.Combine(dataDirectory, "keys"), "*.xml");
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }

        await using (var restarted = new KefuFactory(dataDirectory) { Settings = settings }.Start())
        {
            Assert.Equal(HttpStatusCode.OK, await ConsoleStatusAsync(restarted, cookie));
        }

        // The proof the files are useless alone: without the certificate the same keys cannot read the cookie.
        await using var withoutCertificate = new KefuFactory(dataDirectory).Start();
        Assert.Equal(HttpStatusCode.Redirect, await ConsoleStatusAsync(withoutCertificate, cookie));
    }

    [Fact]
    public void AWrongCertificatePassword_StopsTheStart_NamingTheSetting()
    {
        var pfx = SelfSignedPfx();
        using var server = new KefuFactory
        {
            Settings = new Dictionary<string, string> { ["Kefu:Keys:CertificatePath"] = pfx, ["Kefu:Keys:CertificatePassword"] = "wrong" },
        };

        var error = Assert.ThrowsAny<Exception>(() => server.Start());
        Assert.Contains("Kefu:Keys:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> ConsoleStatusAsync(KefuFactory server, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console");
        request.Headers.Add("Cookie", cookie);
        return (await http.SendAsync(request)).StatusCode;
    }

    private string SelfSignedPfx()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Kefu key protection test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
