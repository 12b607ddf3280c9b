using System.Security.Cryptography;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Conversations;

/// <summary>Who uploads: a visitor (contact) or an agent of one tenant.</summary>
internal sealed record Uploader(Guid TenantId, Guid? ContactId, Guid? AgentId);

/// <summary>
/// Checks and stores uploaded files, for the HTTP API and the console alike. Bytes live in the
/// <see cref="UploadsFolder"/>, by tenant and id, never under the uploaded name.
/// </summary>
internal sealed class AttachmentStore(
    IDbContextFactory<KefuDbContext> dbFactory, IOptions<ConversationsOptions> options, UploadsFolder uploads, TimeProvider time)
{
    public static readonly KefuError Missing = new("attachment_missing", "Send one non-empty file in the form field 'file'.");
    public static readonly KefuError TypeNotAllowed = new("attachment_type_not_allowed",
        "Allowed: PNG, JPEG, GIF, WebP, PDF, ZIP/Office documents and plain text, with a matching file extension.");

    /// <summary>A voice message (an audio name, or a declared length) whose bytes are not Opus/Vorbis in WebM or Ogg.</summary>
    public static readonly KefuError NotAudio = new("attachment_not_audio",
        "A voice message must be Opus or Vorbis audio in WebM or Ogg, as browsers record it; this file is not audio.");

    public static readonly KefuError UploadTimedOut = new("upload_timeout", "The file did not arrive in time.");

    public long MaxBytes => options.Value.MaxAttachmentBytes;

    public int MaxVoiceSeconds => options.Value.MaxVoiceSeconds;

    public KefuError VoiceTooLong => new("voice_too_long", $"A voice message is 1 ms to {MaxVoiceSeconds} seconds long (field durationMs).") { Field = "durationMs" };

    public KefuError TooLarge => new("attachment_too_large", $"Files may be at most {MaxBytes / (1024 * 1024)} MB.");

    public string PathFor(Attachment attachment) => uploads.PathOf(attachment.TenantId.ToString("N"), attachment.Id.ToString("N"));

    /// <summary>Checks and stores one file.</summary>
    /// <param name="durationMs">A voice message's recorded length; refused (<see cref="NotAudio"/>) for a file that is not audio.</param>
    public async Task<(Attachment?, KefuError?)> SaveAsync(
        Stream input, long length, string? fileName, Uploader uploader, CancellationToken cancellationToken, int? durationMs = null)
    {
        if (length <= 0)
        {
            return (null, Missing);
        }

        if (length > MaxBytes)
        {
            return (null, TooLarge);
        }

        var name = AttachmentRules.SafeFileName(fileName);
        var head = new byte[512];
        var read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var type = AttachmentRules.Detect(head.AsSpan(0, read), name);
        var audio = type is not null && AttachmentRules.IsAudio(type);
        if (!audio && (durationMs is not null || AttachmentRules.ClaimsAudio(name)))
        {
            return (null, NotAudio); // renamed or forged: checked by its bytes, nothing stored
        }

        if (type is null)
        {
            return (null, TypeNotAllowed);
        }

        // The length is the recorder's; the size limit bounds what a lie could cost (ADR 0039). Audio without a length
        // (a file sent by mail) is an ordinary attachment, not a voice message: it is not transcribed.
        if (durationMs is <= 0 || durationMs > MaxVoiceSeconds * 1000)
        {
            return (null, VoiceTooLong);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var attachment = new Attachment
        {
            Id = Guid.CreateVersion7(now), TenantId = uploader.TenantId, UploaderContactId = uploader.ContactId, UploaderAgentId = uploader.AgentId,
            FileName = name, ContentType = type, Size = length, Sha256 = "", CreatedAt = now, DurationMs = audio ? durationMs : null,
        };

        var path = PathFor(attachment);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            attachment.Sha256 = await CopyAsync(input, head.AsMemory(0, read), path, cancellationToken);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(cancellationToken);
            return (attachment, null);
        }
        catch
        {
            // Never keep bytes without their row (or a half-written file).
            File.Delete(path);
            throw;
        }
    }

    private async Task<string> CopyAsync(Stream input, ReadOnlyMemory<byte> head, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        hash.AppendData(head.Span);
        await output.WriteAsync(head, cancellationToken);
        var buffer = new byte[81920];
        long total = head.Length;
        int n;
        while ((n = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
            if (total > MaxBytes)
            {
                throw new InvalidDataException("The upload is larger than it announced.");
            }

            hash.AppendData(buffer, 0, n);
            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
