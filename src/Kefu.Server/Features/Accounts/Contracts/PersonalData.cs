using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>What retention or an erasure request does to a conversation.</summary>
public enum ErasureMode
{
    /// <summary>The conversation and everything about it are deleted.</summary>
    Delete,

    /// <summary>
    /// The conversation's shape stays for reports (timestamps, counts, inbox, agent, status, bot outcomes); its
    /// text is replaced by <see cref="PersonalData.RemovedText"/>, its attachments and free text are deleted.
    /// </summary>
    Anonymise,
}

/// <summary>Values retention and erasure write in place of personal data.</summary>
public static class PersonalData
{
    /// <summary>The text of an anonymised message (the console shows its own localized text for it).</summary>
    public const string RemovedText = "[removed]";

    /// <summary>The name of an anonymised contact.</summary>
    public const string RemovedName = "Anonymised contact";
}

/// <summary>
/// A capability that keeps personal data about conversations or contacts in tables of its own (attachments, bot
/// turns, hand-off packets, channel identities, masked originals). Retention and erasure requests call every
/// registered holder inside their own transaction, before the conversations or contacts themselves go, so nothing
/// of a person outlives them; an export asks every holder for its part. Register as
/// <c>services.AddSingleton&lt;IPersonalDataHolder, …&gt;()</c>.
/// </summary>
internal interface IPersonalDataHolder
{
    /// <summary>
    /// Deletes (<see cref="ErasureMode.Delete"/>) or strips (<see cref="ErasureMode.Anonymise"/>) this capability's
    /// data about these conversations, in <paramref name="db"/>'s open transaction, before the caller deletes or
    /// anonymises the conversations. Adds what it erased to <paramref name="tally"/>. Must be idempotent.
    /// </summary>
    Task EraseConversationsAsync(KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken);

    /// <summary>Deletes this capability's data about these contacts (which have no conversations left, or are being anonymised).</summary>
    Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken);

    /// <summary>Adds this capability's data about a contact and their conversations to an export.</summary>
    Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken);
}

/// <summary>Counts of what an erasure removed, by kind (<c>conversations</c>, <c>messages</c>, <c>attachments</c> …): never contents.</summary>
public sealed class ErasureTally
{
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>The counts so far.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Adds <paramref name="count"/> to a kind.</summary>
    public void Add(string kind, int count) => _counts[kind] = _counts.GetValueOrDefault(kind) + count;

    /// <summary>Adds another tally's counts.</summary>
    public void Add(ErasureTally other)
    {
        foreach (var (kind, count) in other._counts)
        {
            Add(kind, count);
        }
    }

    /// <summary>The count of a kind (0 when none).</summary>
    public int this[string kind] => _counts.GetValueOrDefault(kind);

    /// <summary>The counts as a small JSON object, for audit entries.</summary>
    public string ToJson() => JsonSerializer.Serialize(_counts);
}

/// <summary>
/// A data subject's export being written: a zip with JSON documents and files. Holders add their part under a
/// name of their own (<c>bot.json</c>, <c>attachments/…</c>).
/// </summary>
public sealed class PersonalDataExport(ZipArchive zip)
{
    /// <summary>The one JSON form of an export: camelCase, indented, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Adds a JSON document.</summary>
    public async Task AddJsonAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        await using var stream = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        await JsonSerializer.SerializeAsync(stream, value, Json, cancellationToken);
    }

    /// <summary>Adds a file's bytes.</summary>
    public async Task AddFileAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        await using var stream = zip.CreateEntry(path, CompressionLevel.Fastest).Open();
        await content.CopyToAsync(stream, cancellationToken);
    }
}
