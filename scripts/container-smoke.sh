#!/usr/bin/env bash
# Runs what the Dockerfile's runtime stage runs, without a container runtime (none runs on the project's machines):
#  1. publishes the existing build (--no-build: run after `dotnet build Kefu.slnx`), or takes --app DIR;
#  2. lays it out as the image does: application files owned by root and read-only, one writable data folder, a tmp;
#  3. starts `dotnet Kefu.Server.dll` from the app folder with exactly the Dockerfile's ENV lines (the data folder and
#     the port moved to this machine's free ones), as an unprivileged user when run as root (the image's USER);
#  4. waits for the Dockerfile's HEALTHCHECK command to succeed, checks /metrics from loopback and that the API
#     document is not public, then stops the server with SIGTERM (what `docker stop` sends) and expects a clean exit.
# Prints one line per step; exits non-zero when one failed. The image itself publishes Release for linux-x64
# (ReadyToRun); this script checks the same program and settings, not the image's bytes.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app=""
if [ "${1:-}" = "--app" ]; then app=$2; fi
work=$(mktemp -d /tmp/kefu-container.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  chmod -R u+w "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "container-smoke: $*" >&2; [ -f "$work/server.log" ] && tail -n 30 "$work/server.log" >&2; exit 1; }

if [ -z "$app" ]; then
  dotnet publish "$root/src/Kefu.Server" -c Debug --no-build -nologo -v q -o "$work/publish" >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }
  app="$work/publish"
fi
[ -f "$app/Kefu.Server.dll" ] || fail "no Kefu.Server.dll in $app"

# The image's file system: /app read-only, /data writable by the user, /tmp.
mkdir -p "$work/image/app" "$work/image/data" "$work/image/tmp"
cp -a "$app/." "$work/image/app/"
chmod -R a-w "$work/image/app"
chmod 755 "$work" "$work/image"
chmod 1777 "$work/image/tmp"
run_as=()
if [ "$(id -u)" = "0" ]; then
  chown nobody "$work/image/data"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
echo "container-smoke: image laid out (app read-only, user $([ ${#run_as[@]} -gt 0 ] && echo nobody || id -un))"

# The runtime stage's ENV lines, then this machine's port and data folder in place of 8080 and /data.
dockerfile="$root/Dockerfile"
mapfile -t image_env < <(awk '/^FROM .* AS runtime/ { r = 1 } r && /^ENV / { sub(/^ENV /, ""); print }' "$dockerfile")
[ "${#image_env[@]}" -gt 0 ] || fail "no ENV lines in the Dockerfile's runtime stage"
health=$(sed -n 's/^HEALTHCHECK .* CMD //p' "$dockerfile" | sed "s#/app/#$work/image/app/#g")
[ -n "$health" ] || fail "no HEALTHCHECK in the Dockerfile"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
env_list=(PATH="$PATH" HOME="$work/image/tmp" TMPDIR="$work/image/tmp" DOTNET_CLI_TELEMETRY_OPTOUT=1)
for kv in "${image_env[@]}"; do
  case "$kv" in
    ASPNETCORE_HTTP_PORTS=*) env_list+=("ASPNETCORE_HTTP_PORTS=$port") ;;
    Kefu__Database__DataDirectory=*) env_list+=("Kefu__Database__DataDirectory=$work/image/data") ;;
    *) env_list+=("$kv") ;;
  esac
done
# What compose.yaml adds for a single SQLite node: the first admin's password.
env_list+=("Kefu__Seed__AdminPassword=Container-Smoke-Pass-42!")

touch "$work/started"
(cd "$work/image/app" && exec env -i "${env_list[@]}" "${run_as[@]}" dotnet Kefu.Server.dll >"$work/server.log" 2>&1) &
pid=$!

healthy=""
for _ in $(seq 1 120); do
  if env -i "${env_list[@]}" "${run_as[@]}" $health >/dev/null 2>&1; then healthy=1; break; fi
  kill -0 "$pid" 2>/dev/null || fail "the server exited before it was healthy"
  sleep 0.25
done
[ -n "$healthy" ] || fail "the HEALTHCHECK command did not succeed within 30 s"
echo "container-smoke: healthy (HEALTHCHECK: $(sed -n 's/^HEALTHCHECK .* CMD //p' "$dockerfile"))"

base="http://127.0.0.1:$port"
code=$(curl -s -o "$work/metrics" -w '%{http_code}' "$base/metrics")
{ [ "$code" = "200" ] && grep -q '^# TYPE' "$work/metrics"; } || fail "/metrics from loopback answered $code"
echo "container-smoke: /metrics served to loopback"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/openapi/v1.json")
[ "$code" = "401" ] || fail "/openapi/v1.json without credentials answered $code (expected 401)"
echo "container-smoke: the API document is not public by default"
if find "$work/image/app" -newer "$work/started" -type f | grep -q .; then fail "the server wrote into the app folder"; fi
[ -n "$(ls -A "$work/image/data")" ] || fail "nothing was written to the data folder"

kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "the server did not stop within 10 s of SIGTERM"
wait "$pid"; status=$?
pid=""
[ "$status" = "0" ] || fail "the server exited with $status after SIGTERM"
echo "container-smoke: stopped cleanly on SIGTERM"
echo "container-smoke: ok"
