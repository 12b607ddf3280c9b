using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>Masks texts at ingest by the workspace's settings and encrypts the originals it takes out.</summary>
internal sealed class PersonalDataMasking(MaskingSettingsStore settings, PersonalDataProtector protector) : IPersonalDataMasking
{
    /// <inheritdoc />
    public ValueTask<MaskedText> MaskAsync(Guid tenantId, string text, CancellationToken cancellationToken) =>
        PersonalDataDetector.MayContain(text)
            ? MaskCandidateAsync(tenantId, text, cancellationToken)
            : ValueTask.FromResult(new MaskedText(text, null));

    private async ValueTask<MaskedText> MaskCandidateAsync(Guid tenantId, string text, CancellationToken cancellationToken)
    {
        var kinds = await settings.KindsAsync(tenantId, cancellationToken);
        if (kinds == MaskingKinds.None)
        {
            return new MaskedText(text, null);
        }

        var found = PersonalDataDetector.Find(text, kinds);
        if (found.Count == 0)
        {
            return new MaskedText(text, null);
        }

        var originals = new List<ProtectedValue>(found.Count);
        var shift = 0;
        for (var i = 0; i < found.Count; i++)
        {
            var d = found[i];
            originals.Add(new ProtectedValue(i, d.Kind, d.Start + shift, d.Masked.Length, protector.Protect(tenantId, text.Substring(d.Start, d.Length))));
            shift += d.Masked.Length - d.Length;
        }

        return new MaskedText(PersonalDataDetector.Apply(text, found), originals);
    }
}
