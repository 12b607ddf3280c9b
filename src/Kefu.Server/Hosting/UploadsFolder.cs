using Kefu.Server.Persistence;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Where uploaded bytes live: <c>uploads/</c> in the data folder, beside the SQLite file and the keys. With PostgreSQL
/// and several nodes that folder is on storage every node mounts (docs/operations.md), so a file written by one node is
/// served by any. Attachments keep theirs under <c>uploads/{tenant}/{id}</c>, inbox avatars under
/// <c>uploads/avatars/{sha256}.{ext}</c>. Files are never named after what a client sent.
/// </summary>
internal sealed class UploadsFolder(IOptions<DatabaseOptions> database)
{
    /// <summary>The absolute path of a file under <c>uploads/</c>; the parts must come from the server, never from a client.</summary>
    public string PathOf(params string[] parts) => Path.Combine([database.Value.EnsureDataDirectory(), "uploads", .. parts]);

    /// <summary>
    /// Writes a whole file unless it is already there. A temporary name and a rename, so a reader (or another node
    /// writing the same content-addressed file) never sees half a file.
    /// </summary>
    public async Task WriteIfMissingAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
