using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>A file a channel received from a customer and stored as their upload.</summary>
/// <param name="Id">The attachment id (what <see cref="InboundMessage.AttachmentId"/> takes).</param>
/// <param name="FileName">The cleaned display name.</param>
/// <param name="ContentType">The type found from the bytes.</param>
/// <param name="Size">Bytes.</param>
public sealed record ReceivedFile(Guid Id, string FileName, string ContentType, long Size);

/// <summary>
/// How a channel that receives files (an e-mail's attachments) stores them: as the customer's uploads, with the same
/// checks as the widget's (size, the type allow-list decided from the bytes, a cleaned name), in the same place, so that
/// a message may carry one, erasure and export find them, and downloads go through the same headers. Implemented by
/// Conversations.
/// </summary>
internal interface IReceivedFiles
{
    /// <summary>The largest file accepted, in bytes.</summary>
    long MaxBytes { get; }

    /// <summary>Checks and stores one file of <paramref name="contactId"/>; the refusal (<c>attachment_too_large</c>, <c>attachment_type_not_allowed</c>) stores nothing.</summary>
    Task<(ReceivedFile? File, KefuError? Error)> SaveAsync(Guid tenantId, Guid contactId, Stream content, long length, string? fileName, CancellationToken cancellationToken);

    /// <summary>The stored files of the workspace among <paramref name="ids"/>.</summary>
    Task<IReadOnlyList<ReceivedFile>> FindAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Serves a stored file of the workspace with the upload download's safe headers; 404 when there is none.</summary>
    Task<IResult> DownloadAsync(Guid tenantId, Guid id, HttpContext http, CancellationToken cancellationToken);
}
