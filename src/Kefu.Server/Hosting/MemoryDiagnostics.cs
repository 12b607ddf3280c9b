using System.Runtime;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Hosting;

/// <summary>Process memory as the runtime sees it.</summary>
/// <param name="WorkingSetBytes">Resident memory of the process.</param>
/// <param name="ManagedHeapBytes">Bytes in the managed heap (after a full collection when one was asked for).</param>
/// <param name="CommittedBytes">Memory the GC has committed.</param>
/// <param name="IsServerGc">Server or workstation GC.</param>
/// <param name="Collected">True when a full, compacting collection ran first.</param>
public sealed record MemoryReport(long WorkingSetBytes, long ManagedHeapBytes, long CommittedBytes, bool IsServerGc, bool Collected);

/// <summary>
/// <c>GET /api/v1/diagnostics/memory</c> (admins): how much memory the server holds. With
/// <c>?collect=true</c> it first runs a full, compacting collection and returns freed memory to
/// the OS, so the figures show what the live state needs (used by the idle benchmark).
/// </summary>
internal static class MemoryDiagnostics
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/diagnostics/memory", Results<Ok<MemoryReport>, ForbidHttpResult> (HttpContext http, bool collect = false) =>
            {
                if (AgentIdentity.From(http.User)?.Role != AgentRole.Admin)
                {
                    return TypedResults.Forbid();
                }

                if (collect)
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                }

                var info = GC.GetGCMemoryInfo();
                return TypedResults.Ok(new MemoryReport(Environment.WorkingSet, GC.GetTotalMemory(false), info.TotalCommittedBytes, GCSettings.IsServerGC, collect));
            })
            .WithName("GetMemoryDiagnostics")
            .WithTags("Diagnostics");
}
