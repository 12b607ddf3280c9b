using System.Runtime;
using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Hosting;

/// <summary>Process memory as the runtime sees it.</summary>
/// <param name="WorkingSetBytes">Resident memory of the process.</param>
/// <param name="ManagedHeapBytes">Bytes in the managed heap (after a full collection when one was asked for).</param>
/// <param name="CommittedBytes">Memory the GC has committed.</param>
/// <param name="IsServerGc">Server or workstation GC.</param>
/// <param name="Collected">True when a full, compacting collection ran first.</param>
public sealed record MemoryReport(long WorkingSetBytes, long ManagedHeapBytes, long CommittedBytes, bool IsServerGc, bool Collected);

/// <summary>
/// <c>GET /api/v1/diagnostics/memory</c> (admins): how much memory the server holds, read only.
/// <c>POST /api/v1/diagnostics/memory/collect</c> (admins) first runs a full, compacting collection
/// and returns freed memory to the OS, so the figures show what the live state needs (used by the
/// idle benchmark). The collection blocks the process, so it is a POST: a link or a cross-site
/// navigation cannot trigger it, and the console-cookie origin check covers it.
/// </summary>
internal static class MemoryDiagnostics
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/diagnostics/memory", () => TypedResults.Ok(Report(collected: false)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetMemoryDiagnostics")
            .WithTags("Diagnostics");

        api.MapPost("/diagnostics/memory/collect", async (IAuditLog audit) =>
            {
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                // It blocks every request of the node while it runs: who forced one belongs on the trail.
                await audit.WriteAsync(new AuditRecord(AuditActions.MemoryCollected));
                return TypedResults.Ok(Report(collected: true));
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CollectMemory")
            .WithTags("Diagnostics");
    }

    private static MemoryReport Report(bool collected)
    {
        var info = GC.GetGCMemoryInfo();
        return new MemoryReport(Environment.WorkingSet, GC.GetTotalMemory(false), info.TotalCommittedBytes, GCSettings.IsServerGC, collected);
    }
}
