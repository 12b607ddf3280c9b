using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// WeChat's callback bodies: one <c>&lt;xml&gt;</c> element of flat fields. Read with DTDs refused (no entity
/// expansion, so no "billion laughs"), no resolver (no external entity can read a file or reach a host) and a
/// character cap, whatever the caller's size check let through.
/// </summary>
internal static class WeChatXml
{
    private static readonly XmlReaderSettings Safe = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = WeChatOptions.MaxCallbackBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>The top-level fields of the <c>&lt;xml&gt;</c> root (nested ones are skipped), or null when the body is not such a document.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(string body)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), Safe);
            var root = XElement.Load(reader);
            if (root.Name.LocalName != "xml")
            {
                return null;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var element in root.Elements())
            {
                if (!element.HasElements)
                {
                    fields[element.Name.LocalName] = element.Value;
                }
            }

            return fields;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>A document of fields in the given order; values are escaped by the writer, never spliced as text.</summary>
    public static string Write(params (string Name, string Value)[] fields)
    {
        var root = new XElement("xml", fields.Select(f => new XElement(f.Name, f.Value)));
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            root.WriteTo(writer);
        }

        return text.ToString();
    }
}
