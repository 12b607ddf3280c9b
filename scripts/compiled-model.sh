#!/usr/bin/env bash
# Regenerates the EF Core compiled models of both providers (src/Kefu.Server/Persistence/CompiledModels), which the
# server runs on so that a start does not build the model (ADR 0011). Run it after changing an entity or its
# configuration, together with the migrations; CompiledModelTests fails until you do. The old files are removed first,
# so the server is built without them (it then builds its model at run time) and a removed entity leaves nothing behind.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
rm -rf src/Kefu.Server/Persistence/CompiledModels
dotnet build src/Kefu.Server -v q -nologo
for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --no-build --project src/Kefu.Server --context "${provider}KefuDbContext" \
    --output-dir "Persistence/CompiledModels/$provider" --namespace "Kefu.Server.Persistence.CompiledModels.$provider"
done
