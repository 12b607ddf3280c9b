using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Quality;

/// <summary>Quality inspection settings (<c>Kefu:Quality</c>).</summary>
internal sealed class QualityOptions
{
    public const string Section = "Kefu:Quality";

    /// <summary>Resolved conversations scored per rescoring batch (one transaction with the job's cursor).</summary>
    [Range(1, 10_000)]
    public int RescoreBatchSize { get; set; } = 500;

    /// <summary>How often the rescorer looks for work when nothing woke it.</summary>
    [Range(1, 3600)]
    public int RescorePollSeconds { get; set; } = 30;
}
