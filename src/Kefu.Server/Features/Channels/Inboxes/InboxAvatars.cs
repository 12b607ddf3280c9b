using System.Text.RegularExpressions;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// The avatars' files: <c>uploads/avatars/{sha256}.{ext}</c> in the <see cref="UploadsFolder"/>, one file per distinct
/// image however many inboxes show it, served at <c>/media/avatars/{sha256}.{ext}</c>. The name is the content's hash,
/// so a new image is a new address and the old one may be cached for ever.
/// </summary>
internal sealed partial class InboxAvatars(UploadsFolder uploads, IDbContextFactory<KefuDbContext> dbFactory)
{
    /// <summary>The public path the files are served under.</summary>
    public const string Route = InboxDto.AvatarRoute;

    /// <summary>The address of an inbox's avatar relative to Kefu's origin, or null when it has none.</summary>
    public static string? PathOf(string? file) => file is null ? null : $"{Route}/{file}";

    /// <summary>A name this server could have written: a lower-case SHA-256 and one of the accepted extensions.</summary>
    public static bool IsFileName(string name) => FileName().IsMatch(name);

    public string FilePath(string file) => uploads.PathOf("avatars", file);

    public Task WriteAsync(string file, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        uploads.WriteIfMissingAsync(FilePath(file), bytes, cancellationToken);

    /// <summary>Some inbox (of any workspace: the same picture is one file) shows this file.</summary>
    public async Task<bool> InUseAsync(string file, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Inboxes.AnyAsync(i => i.AvatarFile == file, cancellationToken);
    }

    /// <summary>
    /// Removes the file once no inbox shows it. Called after the change that let go of it has committed, so a reader
    /// never finds a row pointing at a removed file because of this call.
    /// </summary>
    public async Task ReleaseAsync(string? file, CancellationToken cancellationToken)
    {
        if (file is not null && !await InUseAsync(file, cancellationToken))
        {
            File.Delete(FilePath(file));
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}\\.(png|jpg|webp|gif)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
