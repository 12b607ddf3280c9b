using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// Gray release of a flow version (ADR 0041): which version a conversation starts. A hash of the flow and the conversation
/// picks a bucket 0–99; buckets below the percentage start the new version. The same conversation always lands in the same
/// bucket (sticky without storing anything), raising the percentage only moves more buckets to the new version, and the
/// run records the version it started, so a conversation in progress never switches.
/// </summary>
internal static class FlowRollout
{
    /// <summary>
    /// The conversation's bucket for this flow: the first four bytes (big-endian) of SHA-256 over
    /// <c>"{flowId:N}:{conversationId:N}"</c>, modulo 100. A different flow splits the same conversations differently.
    /// </summary>
    public static int Bucket(Guid flowId, Guid conversationId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{flowId:N}:{conversationId:N}"), hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % 100);
    }

    /// <summary>The version a new run of the flow starts in this conversation.</summary>
    public static int VersionFor(Guid flowId, Guid conversationId, int published, int? rollout, int percent) =>
        rollout is { } candidate && percent > 0 && Bucket(flowId, conversationId) < percent ? candidate : published;
}
