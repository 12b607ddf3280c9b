using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Hosting;

/// <summary>
/// How the data-protection keys are protected at rest, section <c>Kefu:Keys</c>. The keys sign and encrypt
/// sign-in cookies, bearer and visitor tokens, attachment links, SSO client secrets and OpenID Connect state:
/// anyone who reads the key files can forge all of them.
/// </summary>
public sealed class KeyProtectionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Keys";

    /// <summary>
    /// A PKCS#12 (.pfx) file with an RSA certificate and its private key. When set, every key file is written
    /// encrypted to it. Keep the certificate out of the data folder and its backups.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if it has one (env <c>Kefu__Keys__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }
}

/// <summary>Persists the data-protection keys in the data folder, encrypted with the configured certificate if any.</summary>
internal static partial class KeyProtection
{
    public static IDataProtectionBuilder ProtectKeysAtRest(this IDataProtectionBuilder builder, IConfiguration configuration)
    {
        var options = configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        builder.Services.AddHostedService<KeyProtectionCheck>();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return builder;
        }

        var certificate = Load(options);
        // Decryption must find the private key without the machine's certificate store (there is none on Linux).
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    /// <summary>Loads and checks the certificate; a wrong one stops the start with a message naming the setting.</summary>
    private static X509Certificate2 Load(KeyProtectionOptions options)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword,
                X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{KeyProtectionOptions.Section}:CertificatePath: cannot read '{options.CertificatePath}' as a PKCS#12 file with " +
                $"{KeyProtectionOptions.Section}:CertificatePassword ({e.GetType().Name}).", e);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"{KeyProtectionOptions.Section}:CertificatePath: the certificate must hold an RSA private key.");
        }

        return certificate;
    }

    /// <summary>Says at start, in Production, that the keys lie on disk in the clear.</summary>
    private sealed partial class KeyProtectionCheck(IConfiguration configuration, IHostEnvironment environment, ILogger<KeyProtectionCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (environment.IsProduction() && string.IsNullOrWhiteSpace(configuration[$"{KeyProtectionOptions.Section}:CertificatePath"]))
            {
                LogUnprotectedKeys(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message =
            "Data-protection keys are stored unencrypted: set Kefu:Keys:CertificatePath (and CertificatePassword) to encrypt them at rest")]
        private static partial void LogUnprotectedKeys(ILogger logger);
    }
}
