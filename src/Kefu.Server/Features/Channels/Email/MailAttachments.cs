using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>What was kept of a mail's files, and a line for each one that was not.</summary>
/// <param name="Files">Stored as the sender's uploads, in the mail's order.</param>
/// <param name="Dropped">One line per file left out (<c>[attachment not kept: name — attachment_too_large]</c>), for the message text.</param>
internal sealed record KeptAttachments(IReadOnlyList<ReceivedFile> Files, IReadOnlyList<string> Dropped)
{
    public static readonly KeptAttachments None = new([], []);

    /// <summary>The text with the notes of dropped files after it, so agents see that the customer sent more.</summary>
    public string Note(string text) => Dropped.Count == 0 ? text : (text.Length > 0 ? text + "\n\n" : "") + string.Join('\n', Dropped);
}

/// <summary>
/// A received mail's attachments and inline images become the sender's uploads with the widget's checks (size, the type
/// allow-list decided from the bytes, a cleaned name: <see cref="IReceivedFiles"/>), within a count and a total per mail
/// (<see cref="EmailOptions"/>). A file over a limit is dropped with a note; the mail itself is never refused for its
/// files. Inline images are kept as files too; the sanitised HTML keeps their <c>cid:</c> references, which the console's
/// sandboxed frame never loads from anywhere.
/// </summary>
internal sealed class MailAttachments(IReceivedFiles files, IOptions<EmailOptions> options)
{
    /// <summary>The note's text is fixed, not localised: it is stored in the thread, like the customer's own words.</summary>
    public const string NotePrefix = "[attachment not kept: ";

    public async Task<KeptAttachments> KeepAsync(Guid tenantId, Guid contactId, InboundMail mail, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        List<ReceivedFile> kept = [];
        List<string> dropped = [];
        long total = 0;
        var index = 0;
        foreach (var part in Parts(mail.Mail))
        {
            index++;
            var name = part.FileName ?? (part.ContentId is not null ? $"inline-{index}{Extension(part.ContentType)}" : $"attachment-{index}{Extension(part.ContentType)}");
            if (kept.Count >= limits.MaxAttachmentsPerMail)
            {
                dropped.Add(Line(name, "too_many_attachments"));
                continue;
            }

            using var content = new MemoryStream();
            if (part.Content is not null)
            {
                // Decoded in memory: the whole mail is within MaxMessageBytes, checked before it was downloaded.
                await part.Content.DecodeToAsync(content, cancellationToken);
            }

            content.Position = 0;
            if (total + content.Length > limits.MaxAttachmentBytesPerMail)
            {
                dropped.Add(Line(name, "attachments_too_large_in_total"));
                continue;
            }

            var (file, error) = await files.SaveAsync(tenantId, contactId, content, content.Length, name, cancellationToken);
            if (file is null)
            {
                dropped.Add(Line(name, error!.Code)); // attachment_missing (empty), attachment_too_large, attachment_type_not_allowed
                continue;
            }

            kept.Add(file);
            total += file.Size;
        }

        return new KeptAttachments(kept, dropped);
    }

    /// <summary>Every leaf part that is not the mail's text or HTML body: attachments, inline images, other files.</summary>
    private static IEnumerable<MimePart> Parts(MimeMessage mail) =>
        mail.BodyParts.OfType<MimePart>().Where(part => part.IsAttachment || part is not TextPart { IsPlain: true } and not TextPart { IsHtml: true });

    private static string Line(string name, string code) => NotePrefix + EmailThreading.OneLine(name, 100) + " — " + code + "]";

    private static string Extension(ContentType type) => type.MimeType.ToLowerInvariant() switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        _ => "",
    };
}
