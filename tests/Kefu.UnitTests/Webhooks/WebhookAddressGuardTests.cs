using System.Net;
using Kefu.Server.Features.Webhooks;
using Microsoft.Extensions.Options;

namespace Kefu.UnitTests.Webhooks;

/// <summary>The address rules of the webhook guard, address by address (the HTTP paths are in the integration tests).</summary>
public sealed class WebhookAddressGuardTests
{
    private static readonly WebhookAddressGuard Strict = new(Options.Create(new WebhookOptions()));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fc00::1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::")]
    [InlineData("ff02::1")]
    public void NotPublic_IsRefused(string address) => Assert.False(Strict.IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_IsAllowed(string address) => Assert.True(Strict.IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void TheAllowlist_OpensOnlyWhatItLists()
    {
        var tests = new WebhookAddressGuard(Options.Create(new WebhookOptions { AllowedNetworks = ["127.0.0.1/32"] }));
        Assert.True(tests.IsAllowed(IPAddress.Loopback));
        Assert.True(tests.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(tests.IsAllowed(IPAddress.Parse("127.0.0.2")));
        Assert.False(tests.IsAllowed(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://017700000001/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://127.000.000.001/")]
    [InlineData("https://1.2.3/")]
    [InlineData("gopher://example.com/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://a:b@example.com/")]
    [InlineData("http://example.com@127.0.0.1/")]
    public void OddForms_AreRefusedBeforeAnyLookup(string url) => Assert.NotNull(WebhookAddressGuard.Parse(url).Error);

    [Theory]
    [InlineData("https://example.com/hooks?token=1")]
    [InlineData("http://93.184.216.34:8080/x")]
    [InlineData("https://[2606:4700::1111]/x")]
    [InlineData("https://123.example.com/")]
    [InlineData("https://shop.example.com.")]
    public void OrdinaryUrls_PassTheFormCheck(string url) => Assert.Null(WebhookAddressGuard.Parse(url).Error);

    [Fact]
    public void Signature_IsHexHmacSha256OfTimestampDotBody()
    {
        // What docs/webhooks.md tells receivers to compute: the secret's UTF-8 bytes as the key, "{timestamp}.{body}" signed.
        var signature = WebhookSecrets.Sign("whsec_test", 1700000000, "{}");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("whsec_test"u8, "1700000000.{}"u8));
        Assert.Equal("v1=" + expected, signature);
    }
}
