namespace Kefu.Server.Features.Analytics.Contracts;

/// <summary>One hour of the week in the staffing forecast.</summary>
/// <param name="Day">Day of the week, 0 = Monday … 6 = Sunday, in the forecast's time zone.</param>
/// <param name="Hour">Hour of the day, 0–23.</param>
/// <param name="Arrivals">Conversations that entered the line in this hour of the week, averaged over the weeks read.</param>
/// <param name="Slots">Conversation slots Erlang C needs to answer the target share within the target wait.</param>
/// <param name="AgentsNeeded">Agents needed: the slots divided by the concurrency, rounded up.</param>
/// <param name="ServiceLevel">The share answered within the target wait with that many slots (0–1); null when nobody arrives.</param>
/// <param name="Scheduled">Agents whose shifts cover this hour (agents without shifts are not counted).</param>
public sealed record StaffingHour(int Day, int Hour, double Arrivals, int Slots, int AgentsNeeded, double? ServiceLevel, int Scheduled);

/// <summary><c>GET /api/v1/reports/staffing</c>: agents needed per hour of the week, from the last weeks' volume and handling time.</summary>
/// <param name="From">Start of the weeks read, UTC.</param>
/// <param name="To">End (exclusive), UTC: the start of the current hour.</param>
/// <param name="TimeZone">The zone days and hours are in.</param>
/// <param name="Weeks">Weeks averaged.</param>
/// <param name="TargetSeconds">The target wait, seconds.</param>
/// <param name="TargetShare">The share of visitors to answer within the target wait (0–1).</param>
/// <param name="HandlingSeconds">Mean handling time over the weeks read (300 s when nothing was handled).</param>
/// <param name="Concurrency">Conversations one agent handles at once.</param>
/// <param name="Hours">168 hours, Monday 00:00 first.</param>
public sealed record StaffingForecast(
    DateTime From, DateTime To, string TimeZone, int Weeks, int TargetSeconds, double TargetShare, double HandlingSeconds, double Concurrency,
    IReadOnlyList<StaffingHour> Hours);
