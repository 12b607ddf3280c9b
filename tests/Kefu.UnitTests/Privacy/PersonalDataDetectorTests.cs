using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Masking;

namespace Kefu.UnitTests.Privacy;

/// <summary>What masking finds and what it leaves alone: every kind with valid and invalid checksums, boundaries and mixed text.</summary>
public sealed class PersonalDataDetectorTests
{
    private const MaskingKinds Numbers = MaskingKinds.IdentityNumber | MaskingKinds.Mobile | MaskingKinds.BankCard;
    private const MaskingKinds All = Numbers | MaskingKinds.Email;

    private static string Mask(string text, MaskingKinds kinds = Numbers) =>
        PersonalDataDetector.Apply(text, PersonalDataDetector.Find(text, kinds));

    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("call 13912345678 please", "call 139****5678 please")]
    [InlineData("138 0013 8000", "138****8000")]
    [InlineData("138-0013-8000", "138****8000")]
    [InlineData("+86 13800138000", "+86 138****8000")]
    [InlineData("+86 138 0013 8000", "+86 138****8000")]
    [InlineData("8613800138000", "86138****8000")]
    [InlineData("手机：１３８００１３８０００。", "手机：138****8000。")]
    public void MobileNumbers_AreMasked(string text, string expected) => Assert.Equal(expected, Mask(text));

    [Theory]
    [InlineData("12800138000")] // 12x is no mobile prefix
    [InlineData("23800138000")]
    [InlineData("1380013800")] // 10 digits
    [InlineData("138001380001")] // 12 digits
    [InlineData("order 202611301380013800012345")] // inside a longer run
    [InlineData("SN13800138000")] // glued to letters: a code
    [InlineData("13800138000abc")]
    [InlineData("2026 1130 1380 0138 000")] // the digits of a mobile number across groups nobody writes that way
    [InlineData("13800 138000")]
    public void WhatOnlyLooksLikeAMobileNumber_IsLeftAlone(string text) => Assert.Equal(text, Mask(text));

    [Theory]
    [InlineData("110101199003071233", "110101********1233")]
    [InlineData("11010519491231002X", "110105********002X")]
    [InlineData("11010519491231002x", "110105********002X")]
    [InlineData("11010120000229123X", "110101********123X")] // 29 February of a leap year
    [InlineData("ID 110101 19900307 1233.", "ID 110101********1233.")]
    public void IdentityNumbers_WithValidChecksum_AreMasked(string text, string expected) => Assert.Equal(expected, Mask(text));

    [Theory]
    [InlineData("110101199003071234")] // wrong check digit
    [InlineData("11010519491231002Y")]
    [InlineData("990101199003071237")] // no such region (check digit right)
    [InlineData("110101199013071237")] // month 13 (check digit right)
    [InlineData("110101190002291233")] // 1900 was no leap year (check digit right)
    [InlineData("A110101199003071233")]
    [InlineData("1101011990030712330")] // 19 digits
    public void IdentityNumbers_ThatCannotExist_AreLeftAlone(string text)
    {
        Assert.DoesNotContain(PersonalDataDetector.Find(text, MaskingKinds.IdentityNumber), d => d.Kind == PersonalDataKind.IdentityNumber);
    }

    [Fact]
    public void IdentityCheck_FollowsIso7064()
    {
        // Every check character of one prefix: exactly one passes.
        var valid = "0123456789X".Count(c => PersonalDataDetector.IsIdentityNumber(Digits("11010119900307123" + c)));
        Assert.Equal(1, valid);
        Assert.True(PersonalDataDetector.IsIdentityNumber(Digits("110101199003071233")));
    }

    [Theory]
    [InlineData("6222021234567894", "6222********7894")]
    [InlineData("card 6222 0212 3456 7894 thanks", "card 6222 **** **** 7894 thanks")]
    [InlineData("4111-1111-1111-1111", "4111 **** **** 1111")]
    [InlineData("6228480012345678903", "6228***********8903")] // 19 digits
    [InlineData("3782 822463 10005", "3782 **** **** 0005")] // Amex 4-6-5
    public void CardNumbers_WithValidLuhn_AreMasked(string text, string expected) => Assert.Equal(expected, Mask(text));

    [Theory]
    [InlineData("6222021234567890")] // Luhn fails
    [InlineData("2026113013802")] // Luhn passes, but no card starts with 20: an order number
    [InlineData("6222 021 2345 67894")] // not a card's grouping
    [InlineData("62220212345678901234")] // 20 digits
    public void CardNumbers_ThatAreNotCards_AreLeftAlone(string text) => Assert.Equal(text, Mask(text));

    [Fact]
    public void MixedChineseText_MasksEachValue_AndNothingElse()
    {
        const string text = "我的手机号是13800138000，身份证110101199003071233，卡号6222021234567894，订单号202611301380013800012345。";
        Assert.Equal("我的手机号是138****8000，身份证110101********1233，卡号6222********7894，订单号202611301380013800012345。", Mask(text));
    }

    [Fact]
    public void TheIssueExample_WithAWrongCheckDigit_KeepsTheIdentityNumber()
    {
        Assert.Equal("我的手机号是138****8000，身份证110101199003071234", Mask("我的手机号是13800138000，身份证110101199003071234"));
    }

    [Fact]
    public void TwoMobileNumbers_SeparatedByASpace_AreBothMasked()
    {
        Assert.Equal("138****8000 139****9000", Mask("13800138000 13900139000"));
    }

    [Theory]
    [InlineData("mail zhang.san@example.com now", "mail z***@example.com now")]
    [InlineData("a@b.cn", "a***@b.cn")]
    [InlineData("13800138000@qq.com", "1***@qq.com")] // the number goes with the address
    public void EmailAddresses_AreMasked_WhenEnabled(string text, string expected)
    {
        Assert.Equal(expected, Mask(text, All));
        Assert.DoesNotContain(PersonalDataDetector.Find(text, Numbers), d => d.Kind == PersonalDataKind.Email);
    }

    [Theory]
    [InlineData("@home")]
    [InlineData("me@localhost")]
    [InlineData("x@example.c")]
    [InlineData("x@.com")]
    public void ThingsWithAnAt_ThatAreNoAddress_AreLeftAlone(string text) => Assert.Equal(text, Mask(text, All));

    [Fact]
    public void DisabledKinds_AreLeftAlone()
    {
        const string text = "13800138000 6222021234567894";
        Assert.Equal("13800138000 6222********7894", Mask(text, MaskingKinds.BankCard));
        Assert.Equal(text, Mask(text, MaskingKinds.None));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("你好，我想问一下订单的事情", false)]
    [InlineData("order 1234567890", false)] // ten digits
    [InlineData("1 2 3 4 5 6 7 8 9 0 1", true)] // eleven digits, in any shape
    [InlineData("１３８００１３８０００", true)]
    [InlineData("write to me@", true)]
    public void MayContain_ReadsOnlyDigitCountsAndAt(string text, bool expected) =>
        Assert.Equal(expected, PersonalDataDetector.MayContain(text));

    [Fact]
    public void Detections_KnowWhereTheyAre()
    {
        var found = PersonalDataDetector.Find("tel 13800138000, id 110101199003071233", Numbers);

        Assert.Collection(found,
            d => Assert.Equal((PersonalDataKind.Mobile, 4, 11), (d.Kind, d.Start, d.Length)),
            d => Assert.Equal((PersonalDataKind.IdentityNumber, 20, 18), (d.Kind, d.Start, d.Length)));
    }

    private static byte[] Digits(string s) => [.. s.Select(c => (byte)(c is 'X' ? 10 : c - '0'))];
}
