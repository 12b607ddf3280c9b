using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;

namespace Kefu.Server.Features.Contacts;

/// <summary>Customers and the channel identities that name them.</summary>
internal static class ContactsModule
{
    public static IServiceCollection AddContacts(this IServiceCollection services) =>
        services.AddScoped<GetContact>().AddSingleton<ListContacts>().AddSingleton<UpdateContact>().AddSingleton<IContactIdentities, ContactIdentities>().AddSingleton<IContactDetails, ContactDetails>().AddSingleton<IContactTagging, TagContact>()
            .AddSingleton<IPersonalDataHolder, ContactPersonalData>();

    public static IEndpointRouteBuilder MapContactsEndpoints(this IEndpointRouteBuilder api)
    {
        GetContact.Map(api);
        ListContacts.Map(api);
        UpdateContact.Map(api);
        return api;
    }
}
