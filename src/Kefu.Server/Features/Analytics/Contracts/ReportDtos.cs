namespace Kefu.Server.Features.Analytics.Contracts;

/// <summary>The headline numbers of a period (definitions: <c>docs/metrics.md</c>). Rates are 0–1; durations are seconds; null when nothing was measured.</summary>
/// <param name="Conversations">Conversations started in the period.</param>
/// <param name="BotContainment">Of the conversations the bot took part in, the share it finished without a person.</param>
/// <param name="HandedOff">Conversations the bot handed to people.</param>
/// <param name="FirstResponseMedian">Median first response time.</param>
/// <param name="FirstResponseP90">90th percentile of the first response time.</param>
/// <param name="FirstResponseAverage">Mean first response time.</param>
/// <param name="WaitAverage">Mean time in line of visitors an agent then took.</param>
/// <param name="WaitMedian">Median of the same.</param>
/// <param name="ResolutionMedian">Median time from start to (last) resolution.</param>
/// <param name="HandlingAverage">Mean time agents held a conversation.</param>
/// <param name="Resolved">Conversations resolved (and not reopened since).</param>
/// <param name="Reopened">Conversations reopened at least once.</param>
/// <param name="Transfers">Transfers.</param>
/// <param name="Abandoned">Visitors who left while waiting in line.</param>
/// <param name="AbandonmentRate">Abandoned of those who waited in line.</param>
/// <param name="AbandonedWaitAverage">Mean wait of those who left.</param>
/// <param name="Csat">Share of satisfied CSAT answers (4 or 5 of 5).</param>
/// <param name="CsatAverage">Mean CSAT score (1–5).</param>
/// <param name="CsatAnswers">CSAT answers.</param>
/// <param name="Nps">Net promoter score (−100 to 100).</param>
/// <param name="NpsAnswers">NPS answers.</param>
public sealed record ReportMetrics(
    int Conversations, double? BotContainment, int HandedOff, double? FirstResponseMedian, double? FirstResponseP90, double? FirstResponseAverage,
    double? WaitAverage, double? WaitMedian, double? ResolutionMedian, double? HandlingAverage, int Resolved, int Reopened, int Transfers,
    int Abandoned, double? AbandonmentRate, double? AbandonedWaitAverage, double? Csat, double? CsatAverage, int CsatAnswers, double? Nps, int NpsAnswers);

/// <summary>One day of the trend (in the report's time zone).</summary>
/// <param name="Day">The day.</param>
/// <param name="Conversations">Conversations started.</param>
/// <param name="FirstResponseAverage">Mean first response, seconds.</param>
/// <param name="Resolved">Resolved.</param>
/// <param name="Abandoned">Abandoned.</param>
/// <param name="Csat">Share of satisfied CSAT answers.</param>
/// <param name="BotContainment">Bot containment that day (0–1).</param>
/// <param name="WaitAverage">Mean wait in line, seconds.</param>
/// <param name="ResolutionAverage">Mean time to resolution of that day's resolved conversations, seconds.</param>
/// <param name="AbandonmentRate">Abandoned of those who waited in line (0–1).</param>
/// <param name="Nps">Net promoter score that day.</param>
public sealed record ReportTrendPoint(
    DateOnly Day, int Conversations, double? FirstResponseAverage, int Resolved, int Abandoned, double? Csat,
    double? BotContainment = null, double? WaitAverage = null, double? ResolutionAverage = null, double? AbandonmentRate = null, double? Nps = null);

/// <summary><c>GET /api/v1/reports/overview</c>.</summary>
/// <param name="From">Start, UTC, whole hours.</param>
/// <param name="To">End (exclusive), UTC.</param>
/// <param name="Current">This period.</param>
/// <param name="Previous">The period as long just before it.</param>
/// <param name="Trend">This period per day.</param>
public sealed record OverviewReport(DateTime From, DateTime To, ReportMetrics Current, ReportMetrics Previous, IReadOnlyList<ReportTrendPoint> Trend);

/// <summary><c>GET /api/v1/reports/traffic</c>: conversations started by day of week (Monday first) and hour, in the time zone.</summary>
/// <param name="From">Start, UTC.</param>
/// <param name="To">End (exclusive), UTC.</param>
/// <param name="TimeZone">The zone days and hours are in.</param>
/// <param name="HourOfWeek">Seven rows, Monday to Sunday, of 24 counts.</param>
/// <param name="Conversations">All of them.</param>
/// <param name="PreviousConversations">The same for the period just before.</param>
public sealed record TrafficReport(DateTime From, DateTime To, string TimeZone, IReadOnlyList<IReadOnlyList<int>> HourOfWeek, int Conversations, int PreviousConversations);

/// <summary>One agent's or team's numbers (a conversation counts for the agent who held it last, and the team whose line it last joined).</summary>
/// <param name="Id">The agent or team; null for conversations nobody held (or no team).</param>
/// <param name="Name">Their name now.</param>
/// <param name="Conversations">Conversations.</param>
/// <param name="Resolved">Resolved.</param>
/// <param name="FirstResponseMedian">Median first response, seconds.</param>
/// <param name="FirstResponseAverage">Mean first response, seconds.</param>
/// <param name="HandlingAverage">Mean handling time, seconds.</param>
/// <param name="Transfers">Transfers.</param>
/// <param name="Csat">Share of satisfied CSAT answers.</param>
/// <param name="CsatAnswers">CSAT answers.</param>
public sealed record HolderReportRow(
    Guid? Id, string? Name, int Conversations, int Resolved, double? FirstResponseMedian, double? FirstResponseAverage, double? HandlingAverage,
    int Transfers, double? Csat, int CsatAnswers);

/// <summary><c>GET /api/v1/reports/agents</c>: agents (a page, by id) and every team.</summary>
/// <param name="From">Start, UTC.</param>
/// <param name="To">End (exclusive), UTC.</param>
/// <param name="Agents">This page of agents.</param>
/// <param name="Teams">Every team with conversations.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null at the end.</param>
public sealed record AgentsReport(DateTime From, DateTime To, IReadOnlyList<HolderReportRow> Agents, IReadOnlyList<HolderReportRow> Teams, string? NextCursor);
