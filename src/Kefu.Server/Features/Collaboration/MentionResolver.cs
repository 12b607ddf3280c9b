using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>The mentions of a note, resolved to ids when it is written.</summary>
/// <param name="Mentions">Who the text names (agents and teams), in order, each once.</param>
/// <param name="Agents">The agents to tell: named ones and the members of named teams who can see the conversation, never the writer.</param>
internal sealed record ResolvedMentions(IReadOnlyList<MentionDto> Mentions, IReadOnlyList<Guid> Agents)
{
    /// <summary>The note's stored form: <c>a:&lt;id&gt;</c> and <c>t:&lt;id&gt;</c>, space-separated.</summary>
    public string Stored => string.Join(' ', Mentions.Select(m => (m.Kind == MentionKinds.Team ? "t:" : "a:") + m.Id.ToString("D")));
}

/// <summary>The two kinds of mention.</summary>
internal static class MentionKinds
{
    public const string Agent = "agent";
    public const string Team = "team";
}

/// <summary>
/// Finds <c>@name</c> in a note and resolves it against the workspace's active agents and its teams, longest name
/// first (so <c>@Ann Lee</c> wins over <c>@Ann</c>). Names are matched, never evaluated. An <c>@</c> right after a
/// letter or digit is part of an e-mail address, not a mention. A name that is no one of this workspace is an error:
/// a note must not silently fail to reach the colleague it was written for.
/// </summary>
internal sealed class MentionResolver(IAccessControl access)
{
    /// <summary>Everyone who can be mentioned in the workspace, agents first, by name.</summary>
    public async Task<IReadOnlyList<MentionTarget>> TargetsAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var workspace = await access.GetWorkspaceAsync(tenantId, null, cancellationToken);
        var agents = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        return
        [
            .. agents.Where(a => workspace.For(a.Id) is not null && a.DisplayName.Trim().Length > 0)
                .Select(a => new MentionTarget(MentionKinds.Agent, a.Id, a.DisplayName.Trim())).OrderBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase),
            .. teams.Select(t => new MentionTarget(MentionKinds.Team, t.Id, t.Name.Trim())).OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase),
        ];
    }

    public async Task<(ResolvedMentions?, KefuError?)> ResolveAsync(
        KefuDbContext db, AgentIdentity writer, string text, Guid inboxId, Guid? assigneeId, CancellationToken cancellationToken)
    {
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return (new ResolvedMentions([], []), null);
        }

        var targets = (await TargetsAsync(db, writer.TenantId, cancellationToken)).OrderByDescending(t => t.Name.Length).ToList();
        var found = new List<MentionDto>();
        for (var i = text.IndexOf('@', StringComparison.Ordinal); i >= 0; i = text.IndexOf('@', i + 1))
        {
            if (i > 0 && char.IsLetterOrDigit(text[i - 1]) && !IsCjk(text[i - 1]))
            {
                continue; // name@example.com
            }

            var rest = text[(i + 1)..];
            var match = targets.FirstOrDefault(t => rest.StartsWith(t.Name, StringComparison.OrdinalIgnoreCase) && EndsWord(rest, t.Name.Length, t.Name));
            if (match is null)
            {
                var token = Token(rest);
                if (token.Length == 0)
                {
                    continue; // a lone '@'
                }

                return (null, CollaborationErrors.UnknownMention(token));
            }

            if (!found.Any(f => f.Id == match.Id))
            {
                found.Add(new MentionDto(match.Kind, match.Id, match.Name));
            }
        }

        var workspace = await access.GetWorkspaceAsync(writer.TenantId, null, cancellationToken);
        var agents = new List<Guid>();
        foreach (var mention in found.Where(m => m.Kind == MentionKinds.Agent))
        {
            if (workspace.For(mention.Id) is not { } them || !them.CanSee(inboxId, assigneeId, workspace))
            {
                return (null, CollaborationErrors.MentionCannotSee(mention.Name));
            }

            agents.Add(mention.Id);
        }

        var teams = found.Where(m => m.Kind == MentionKinds.Team).Select(m => m.Id).ToList();
        if (teams.Count > 0)
        {
            // A team reaches those of its members who can open the conversation; the others are not told of a note they could not read.
            var members = await db.TeamMembers.AsNoTracking().Where(m => teams.Contains(m.TeamId)).Select(m => m.UserId).ToListAsync(cancellationToken);
            agents.AddRange(members.Where(m => workspace.For(m) is { } them && them.CanSee(inboxId, assigneeId, workspace)));
        }

        return (new ResolvedMentions(found, [.. agents.Distinct().Where(a => a != writer.UserId)]), null);
    }

    /// <summary>Parses a note's stored mentions.</summary>
    public static IEnumerable<(string Kind, Guid Id)> Parse(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.Length > 2 && Guid.TryParse(s.AsSpan(2), out _))
            .Select(s => (s[0] == 't' ? MentionKinds.Team : MentionKinds.Agent, Guid.Parse(s.AsSpan(2))));

    /// <summary>The name ends where a word ends; Chinese has no spaces, so a CJK character on either side is an end too.</summary>
    private static bool EndsWord(string rest, int length, string name) =>
        rest.Length == length || !char.IsLetterOrDigit(rest[length]) || IsCjk(rest[length]) || IsCjk(name[^1]);

    private static bool IsCjk(char c) => c >= '\u2E80';

    /// <summary>What the writer meant to mention, for the error: up to the next space, without trailing punctuation.</summary>
    private static string Token(string rest)
    {
        var end = 0;
        while (end < rest.Length && end < 64 && !char.IsWhiteSpace(rest[end]))
        {
            end++;
        }

        return rest[..end].TrimEnd('.', ',', '!', '?', ':', ';', '，', '。', '！', '？', '：', '；');
    }
}
