using Kefu.Server.Features.Channels.WeChat;

namespace Kefu.UnitTests.Channels.WeChat;

/// <summary>
/// Safe mode against the sample vectors of WeChat's message-encryption sample code (the Python and Java samples
/// shipped with the documentation, as republished with those samples): a callback captured with its msg_signature,
/// and a deterministic encryption with a fixed random prefix. Both were also checked with an independent
/// implementation (Python's <c>cryptography</c>) before being written here.
/// </summary>
public sealed class WeChatCryptoTests
{
    private const string SampleKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    // Decryption sample: token "spamtest", AppID wx2c2769f8efd9abc2.
    private const string SampleToken = "spamtest";
    private const string SampleTimestamp = "1409735669";
    private const string SampleNonce = "1320562132";
    private const string SampleMsgSignature = "5d197aaffba7e9b25a30732f161a50dee96bd5fa";
    private const string SampleEncrypt =
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

    [Fact]
    public void MsgSignature_OfTheSample_MatchesWeChats() =>
        Assert.True(WeChatCrypto.Matches(SampleMsgSignature, SampleToken, SampleTimestamp, SampleNonce, SampleEncrypt));

    [Fact]
    public void Signature_OneCharacterChanged_DoesNotMatch() =>
        Assert.False(WeChatCrypto.Matches(SampleMsgSignature, SampleToken, SampleTimestamp, SampleNonce + "1", SampleEncrypt));

    [Fact]
    public void Decrypt_TheSample_GivesTheTextMessage()
    {
        var xml = WeChatCrypto.Decrypt(SampleKey, SampleEncrypt, "wx2c2769f8efd9abc2");
        Assert.NotNull(xml);
        var fields = WeChatXml.Parse(xml);
        Assert.Equal("oyORnuP8q7ou2gfYjqLzSIWZf0rs", fields!["FromUserName"]);
        Assert.Equal("abcdteT", fields["Content"]);
        Assert.Equal("6054768590064713728", fields["MsgId"]);
    }

    [Fact]
    public void Decrypt_ForAnotherAppId_IsRefused() =>
        Assert.Null(WeChatCrypto.Decrypt(SampleKey, SampleEncrypt, "wx0000000000000000"));

    [Fact]
    public void Decrypt_WithAnotherKey_IsRefused() =>
        Assert.Null(WeChatCrypto.Decrypt("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg", SampleEncrypt, "wx2c2769f8efd9abc2"));

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("AAAA")] // 3 bytes: not whole AES blocks
    [InlineData("")]
    public void Decrypt_Garbage_IsRefusedWithoutThrowing(string encrypted) =>
        Assert.Null(WeChatCrypto.Decrypt(SampleKey, encrypted, "wx2c2769f8efd9abc2"));

    [Fact]
    public void Encrypt_WithTheSamplesFixedRandom_GivesTheSampleCiphertext()
    {
        // Encryption sample: AppID wxb11529c136998cb6, random prefix "aaaabbbbccccdddd".
        var encrypted = WeChatCrypto.Encrypt(SampleKey, "我是中文abcd123", "wxb11529c136998cb6", "aaaabbbbccccdddd"u8);
        Assert.Equal("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==", encrypted);
        Assert.Equal("我是中文abcd123", WeChatCrypto.Decrypt(SampleKey, encrypted, "wxb11529c136998cb6"));
    }

    [Fact]
    public void Encrypt_MessageOfAWholeBlock_PadsAFullBlock()
    {
        // 20 + 12 + 0 bytes = one block exactly: PKCS#7 then adds a whole block of 32, which decryption must take off.
        var encrypted = WeChatCrypto.Encrypt(SampleKey, "twelve bytes", "", new byte[16]);
        Assert.Equal(64, Convert.FromBase64String(encrypted).Length);
        Assert.Equal("twelve bytes", WeChatCrypto.Decrypt(SampleKey, encrypted, ""));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF")] // 42
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+")] // not a letter or digit
    [InlineData(null)]
    public void IsValidKey_RefusesWhatIsNotAnEncodingAesKey(string? key) => Assert.False(WeChatCrypto.IsValidKey(key));
}
