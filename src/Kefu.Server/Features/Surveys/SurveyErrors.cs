using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Surveys;

/// <summary>The expected failures of surveys; setting errors name the request field at fault.</summary>
internal static class SurveyErrors
{
    public static readonly KefuError Forbidden = new("forbidden", "Your role may not do this.");
    public static readonly KefuError TemplateNotFound = new("survey_template_not_found", "No such survey template.");
    public static readonly KefuError SurveyNotFound = new("survey_not_found", "No such survey.");
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "No such inbox.");
    public static readonly KefuError NameTaken = new("survey_template_name_taken", "A survey template with this name exists.");
    public static readonly KefuError TooManyTemplates = new("survey_template_limit", $"A workspace keeps at most {SurveyLimits.MaxTemplates} survey templates.");

    /// <summary>The answer's window is over (or it was answered and changing is off): 409, nothing stored.</summary>
    public static readonly KefuError Closed = new("survey_closed", "This survey was answered and can no longer be changed.");

    /// <summary>An agent asked to send a survey to a contact surveyed within the inbox's quiet days.</summary>
    public static readonly KefuError RecentlySurveyed = new("survey_recently_sent", "This contact was surveyed recently.");

    /// <summary>An agent asked to send a survey from an inbox without an enabled survey rule.</summary>
    public static readonly KefuError NotConfigured = new("survey_not_configured", "This inbox has no survey.");

    public static KefuError Invalid(string field, string message) => new("invalid_setting", message) { Field = field };

    public static KefuError InvalidAnswer(string field, string message) => new("invalid_survey_answer", message) { Field = field };
}
