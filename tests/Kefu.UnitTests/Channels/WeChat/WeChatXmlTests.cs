using Kefu.Server.Features.Channels.WeChat;

namespace Kefu.UnitTests.Channels.WeChat;

/// <summary>The callback parser refuses DTDs (entity expansion, external entities) and reads only flat fields.</summary>
public sealed class WeChatXmlTests
{
    [Fact]
    public void Parse_ABillionLaughs_IsRefused()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <xml><Content>&lol3;</Content></xml>
            """;
        Assert.Null(WeChatXml.Parse(bomb));
    }

    [Fact]
    public void Parse_AnExternalEntity_IsRefused() =>
        Assert.Null(WeChatXml.Parse("""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>"""));

    [Fact]
    public void Parse_AnotherRoot_IsRefused() => Assert.Null(WeChatXml.Parse("<note><Content>x</Content></note>"));

    [Fact]
    public void Parse_KeepsCDataText_AsText()
    {
        var fields = WeChatXml.Parse("<xml><Content><![CDATA[<b>hi</b> & bye]]></Content><Nested><A>1</A></Nested></xml>");
        Assert.Equal("<b>hi</b> & bye", fields!["Content"]);
        Assert.False(fields.ContainsKey("Nested"));
    }

    [Fact]
    public void Write_EscapesValues_SoTextCannotAddFields()
    {
        var xml = WeChatXml.Write(("Content", "</Content><MsgType>image</MsgType>"));
        var fields = WeChatXml.Parse(xml);
        Assert.Equal("</Content><MsgType>image</MsgType>", fields!["Content"]);
        Assert.Single(fields);
    }
}
