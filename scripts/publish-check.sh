#!/usr/bin/env bash
# Checks that `dotnet publish` output serves what a website needs: the demo page (/), the embed script
# (/widget.js), the widget app (/widget/frame, /widget/app.js, /widget/app.css) and the icon, with real bodies
# also when the client accepts compression. It publishes the existing Debug build (--no-build: run after
# `dotnet build Kefu.slnx`), starts the output from its own folder on a free port of 127.0.0.1 in the
# Production environment, fetches, and stops the server by pid. Prints one line per check; exits non-zero
# when one failed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/kefu-publish.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! dotnet publish "$root/src/Kefu.Server" -c Debug --no-build -nologo -v q -o "$work/app" >"$work/publish.log" 2>&1; then
  cat "$work/publish.log" >&2
  echo "publish: dotnet publish failed" >&2
  exit 1
fi

# The embed script must be a static asset of the manifest (compressed, with an ETag), not a file the fallback
# finds on disk; and the widget build's stamp must not be published (everything in wwwroot is public).
if ! grep -q '"Route":"widget.js"' "$work/app/Kefu.Server.staticwebassets.endpoints.json"; then
  echo "publish: widget.js is not in the static-asset manifest" >&2
  exit 1
fi
if find "$work/app/wwwroot" -name '.build-stamp' | grep -q .; then
  echo "publish: the widget build stamp was published" >&2
  exit 1
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# From the publish folder, as an operator runs it: the content root (wwwroot, appsettings.json) is the working directory.
(cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Kefu__Database__DataDirectory="$work/data" Kefu__Seed__AdminPassword="Publish-Check-Pass-42!" \
  exec dotnet Kefu.Server.dll >"$work/server.log" 2>&1) &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "$base/healthz" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! curl -fs -o /dev/null "$base/healthz"; then
  tail -n 30 "$work/server.log" >&2
  echo "publish: the published server did not start" >&2
  exit 1
fi

bad=0
check() { # path expected-type [grep-pattern]
  local path=$1 type=$2 pattern=${3:-} encoding
  for encoding in identity "gzip, br"; do
    local body="$work/body" head
    head=$(curl -s -o "$body" -w '%{http_code} %{content_type}' -H "Accept-Encoding: $encoding" --compressed "$base$path")
    if [[ "$head" != "200 $type"* ]] || [ ! -s "$body" ] || { [ -n "$pattern" ] && ! grep -q -- "$pattern" "$body"; }; then
      echo "publish: FAIL $path ($encoding): $head, $(wc -c <"$body") bytes" >&2
      bad=1
    fi
  done
}
key=$(curl -s "$base/" | sed -n 's/.*data-kefu-key="\([^"]*\)".*/\1/p')
check / "text/html" 'src="/widget.js"'
check /widget.js "text/javascript" "kefu"
check "/widget/frame?key=$key" "text/html" '/widget/app.js'
check /widget/app.js "text/javascript" "signalr"
check /widget/app.css "text/css"
check /favicon.ico "image/x-icon"
check /favicon.svg "image/svg+xml" "<svg"
check /console/login "text/html" "/favicon.svg"

if [ "$bad" -ne 0 ]; then
  echo "publish: served files are missing (server log: last lines below)" >&2
  tail -n 20 "$work/server.log" >&2
  exit 1
fi
echo "publish: the published server serves /, /widget.js, the widget app and the icon"
