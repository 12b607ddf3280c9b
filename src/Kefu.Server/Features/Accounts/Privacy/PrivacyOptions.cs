using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.Privacy;

/// <summary>Retention job and erasure settings (<c>Kefu:Privacy</c>). Each inbox's retention period is set in the database.</summary>
internal sealed class PrivacyOptions
{
    public const string Section = "Kefu:Privacy";

    /// <summary>How often the retention job runs (on the node holding the <c>retention</c> lease).</summary>
    [TimeSpanRange("00:01:00", "7.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Conversations deleted or anonymised per transaction. Small on purpose: SQLite has one writer, and the message
    /// path waits for the write lock while a batch holds it.
    /// </summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Pause between two batches of a run, so queued messages are written in between.</summary>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(50);
}
