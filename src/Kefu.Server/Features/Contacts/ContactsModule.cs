namespace Kefu.Server.Features.Contacts;

/// <summary>Customer identities.</summary>
internal static class ContactsModule
{
    public static IServiceCollection AddContacts(this IServiceCollection services) => services.AddScoped<GetContact>();

    public static IEndpointRouteBuilder MapContactsEndpoints(this IEndpointRouteBuilder api)
    {
        GetContact.Map(api);
        return api;
    }
}
