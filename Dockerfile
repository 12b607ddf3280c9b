# syntax=docker/dockerfile:1
# Kefu in a container (docs/operations.md, "Containers"). Two stages: the SDK with Node builds and publishes;
# the ASP.NET runtime image runs it as a non-root user, meant for a read-only root filesystem (compose.yaml).
# No container runtime runs on the project's machines, so scripts/container-smoke.sh does what the runtime stage
# does (the ENV lines, the user, a read-only app folder, the HEALTHCHECK command) and the test suite runs it.

FROM node:20-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The widget's TypeScript is built by `dotnet publish` (npm ci, then esbuild): it needs Node 20.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
# ReadyToRun for linux-x64 (ADR 0011): /healthz about a second sooner after start.
RUN dotnet publish src/Kefu.Server -c Release -r linux-x64 --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The application files belong to root and are not writable by the user that runs them.
COPY --from=build /app /app
# The one writable place besides /tmp: database (SQLite), uploads, data-protection keys. A volume in compose.yaml.
RUN mkdir -p /data && chown "$APP_UID" /data
# One ENV per line: scripts/container-smoke.sh reads these lines and starts the published server with them.
ENV ASPNETCORE_ENVIRONMENT=Production
ENV ASPNETCORE_HTTP_PORTS=8080
ENV Kefu__Database__DataDirectory=/data
ENV DOTNET_NOLOGO=1
# The image's own non-root user (uid 1654, "app").
USER $APP_UID
VOLUME /data
EXPOSE 8080
# The runtime image has no curl: the server's own binary probes /healthz (Hosting/HealthProbe.cs).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD dotnet /app/Kefu.Server.dll --health-check
ENTRYPOINT ["dotnet", "/app/Kefu.Server.dll"]
