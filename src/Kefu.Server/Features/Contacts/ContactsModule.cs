using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;

namespace Kefu.Server.Features.Contacts;

/// <summary>Customers and the channel identities that name them.</summary>
internal static class ContactsModule
{
    public static IServiceCollection AddContacts(this IServiceCollection services) =>
        services.AddScoped<GetContact>().AddSingleton<ListContacts>().AddSingleton<UpdateContact>().AddSingleton<IContactIdentities, ContactIdentities>().AddSingleton<IContactDetails, ContactDetails>().AddSingleton<IContactTagging, TagContact>()
            .AddSingleton<IPersonalDataHolder, ContactPersonalData>()
            .AddSingleton<IdentitySecrets>().AddSingleton<IVisitorIdentification, IdentifyVisitor>().AddSingleton<MergeContacts>()
            .AddSingleton<GetIdentityVerification>().AddSingleton<UpdateIdentityVerification>().AddSingleton<RegenerateIdentitySecret>().AddSingleton<ExportContacts>().AddSingleton<ImportContacts>()
            .AddSingleton<ContactAttributeWriter>().AddSingleton<ListContactAttributes>().AddSingleton<CreateContactAttribute>().AddSingleton<DeleteContactAttribute>()
            .AddSingleton<AddContactNote>().AddSingleton<UpdateContactNote>().AddSingleton<DeleteContactNote>()
            .AddSingleton<IContactAttributeReader, ContactAttributeReader>();

    public static IEndpointRouteBuilder MapContactsEndpoints(this IEndpointRouteBuilder api)
    {
        GetContact.Map(api);
        ListContacts.Map(api);
        UpdateContact.Map(api);
        ExportContacts.Map(api);
        ImportContacts.Map(api);
        MergeContacts.Map(api);
        GetIdentityVerification.Map(api);
        UpdateIdentityVerification.Map(api);
        RegenerateIdentitySecret.Map(api);
        ListContactAttributes.Map(api);
        CreateContactAttribute.Map(api);
        DeleteContactAttribute.Map(api);
        AddContactNote.Map(api);
        UpdateContactNote.Map(api);
        DeleteContactNote.Map(api);
        return api;
    }
}
