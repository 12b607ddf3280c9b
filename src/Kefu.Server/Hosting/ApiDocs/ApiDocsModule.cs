using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Kefu.Server.Hosting.ApiDocs;

/// <summary>
/// The OpenAPI 3.1 document of the REST API at <c>/openapi/v1.json</c>, generated from the endpoints' names, tags and
/// typed results, and its interactive reference (Scalar, served from the package's own files: nothing is loaded from
/// the internet) at <c>/api-docs</c>, with an example for every JSON body and answer (<see cref="OpenApiExamples"/>).
/// <c>OpenApiCompletenessTests</c> fails for an endpoint without a name, a tag, a response type or an example.
/// </summary>
internal static class ApiDocsModule
{
    public const string DocumentName = "v1";
    private const string ProblemSchema = "ProblemDetails";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOptions<ApiDocsOptions>().BindConfiguration(ApiDocsOptions.Section);
        services.AddOpenApi(DocumentName, o =>
        {
            // The REST API only: console pages, the widget's files and the health probe are not part of the contract.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Kefu REST API",
                    Version = "v1",
                    Description = "Conversations, contacts, knowledge, routing and workspace settings. Errors are RFC 9457 problem " +
                        "details with a stable `code` extension. Authenticate with `Authorization: Bearer <token>` from `POST /api/v1/auth/token`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "An agent token from POST /api/v1/auth/token (or the console's sign-in cookie from the same origin).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(AddProblemResponseAsync);
            // Document transformers run after every operation is built: the examples see the finished schemas.
            o.AddDocumentTransformer((document, _, _) => OpenApiExamples.AddAsync(document));
        });
        return services;
    }

    /// <summary>
    /// Every error of the API leaves as problem details (<c>KefuProblems</c>, the status-code pages and the exception
    /// handler), so each operation gets a <c>default</c> response with that schema besides the ones its typed results declare.
    /// </summary>
    private static async Task AddProblemResponseAsync(OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Document is not { } document)
        {
            return;
        }

        if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
        {
            document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));
        }

        operation.Responses ??= [];
        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "An error as problem details: `code` names it (for example `conversation_not_found`), `field` the input at fault.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    /// <summary>Maps the document and the reference, for the Settings permission or everyone (<see cref="ApiDocsOptions.Public"/>).</summary>
    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        var isPublic = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiDocsOptions>>().Value.Public;
        Protect(app.MapOpenApi("/openapi/{documentName}.json"), isPublic);
        Protect(app.MapScalarApiReference("/api-docs", o => o
            .WithTitle("Kefu REST API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocument(DocumentName)
            .ShowOperationId()
            .AddPreferredSecuritySchemes("bearer")
            // Fonts would come from the vendor's servers; the system fonts do. No telemetry, AI agent or MCP offer that
            // would send the document or requests to the vendor, and no vendor developer-tools bar.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()), isPublic);
        return app;
    }

    private static void Protect(IEndpointConventionBuilder endpoint, bool isPublic)
    {
        if (isPublic)
        {
            endpoint.AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization(AccessPolicies.For(Permission.Settings));
        }
    }
}
