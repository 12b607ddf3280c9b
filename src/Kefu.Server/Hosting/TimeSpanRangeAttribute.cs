using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Kefu.Server.Hosting;

/// <summary>
/// <c>[Range(typeof(TimeSpan), min, max)]</c> for options, without its race. <see cref="RangeAttribute"/> converts its
/// string bounds on first use and stores the result in the shared attribute instance, which is not thread-safe
/// (dotnet/runtime#1143): two hosts validating options at once in one process (integration tests do) can fail with
/// "Unable to cast object of type 'System.TimeSpan' to type 'System.String'". Here the bounds are parsed once, in the
/// constructor, and never change.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    /// <summary>The bounds, inclusive, in the invariant <c>[d.]hh:mm:ss</c> format.</summary>
    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest value allowed.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>The largest value allowed.</summary>
    public TimeSpan Maximum { get; }

    /// <inheritdoc />
    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= Minimum && span <= Maximum);

    /// <inheritdoc />
    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum.ToString("c"), Maximum.ToString("c"));
}
