#!/usr/bin/env bash
# Kefu's one test command (see README): installs what a fresh machine lacks, starts the servers
# the tests need on 127.0.0.1 (a throwaway PostgreSQL cluster and Redis), builds once, runs every
# test project (the integration tests twice: on SQLite and on PostgreSQL), stops the servers by
# pid, and ends with one line:  tests: N passed, N failed, N skipped
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
state="$root/.test-servers"
results="$root/.artifacts/test-results"
rm -rf "$state" "$results"
mkdir -p "$state" "$results"

log() { printf '==> %s\n' "$*" >&2; }

# --- system packages ---------------------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd) # SMTP server of the sign-in tests
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd) # IMAP server of the e-mail channel's tests
command -v turnserver >/dev/null || missing+=(coturn) # TURN server of the call tests (they start and stop it by pid file)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "apt-get install failed" >&2; exit 1; }
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi

# --- servers, stopped by pid on exit --------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # host port seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
cleanup() {
  if [ -f "$state/redis.pid" ]; then kill "$(cat "$state/redis.pid")" 2>/dev/null || true; fi
  local mail_dir
  mail_dir=$(cat "$state/mail.dir" 2>/dev/null)
  [ -n "$mail_dir" ] && scripts/mail/stop.sh "$mail_dir" && rm -rf "$mail_dir"
  local pg_dir
  pg_dir=$(cat "$state/pg.dir" 2>/dev/null)
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    kill -INT "$(head -n 1 "$pg_dir/data/postmaster.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$pg_dir/data/postmaster.pid" ] || break; sleep 0.1; done
  fi
  [ -n "$pg_dir" ] && rm -rf "$pg_dir"
}
trap cleanup EXIT

pg_port=$(free_port)
# The cluster lives in its own temp folder: as root, PostgreSQL runs as "postgres", which may not
# be able to enter the checkout's folders.
pg_dir=$(mktemp -d /tmp/kefu-test-pg.XXXXXX)
echo "$pg_dir" > "$state/pg.dir"
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
chmod 700 "$pg_dir"
# Test classes run in parallel, each server with its own connection pool (two-node tests have two):
# PostgreSQL's default of 100 connections is not enough.
if run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust >"$state/initdb.log" 2>&1 &&
   run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/pg.log" -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500" -w -t 30 start >/dev/null &&
   wait_port 127.0.0.1 "$pg_port" 30; then
  export KEFU_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Pooling=true;Include Error Detail=true"
  log "PostgreSQL on 127.0.0.1:$pg_port"
else
  echo "PostgreSQL did not start; see $state/initdb.log and $pg_dir/pg.log" >&2
  cat "$state/initdb.log" "$pg_dir/pg.log" 2>/dev/null | tail -n 20 >&2
  exit 1
fi

redis_port=$(free_port)
if redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$state/redis.pid" >/dev/null &&
   wait_port 127.0.0.1 "$redis_port" 10; then
  export KEFU_TEST_REDIS="127.0.0.1:$redis_port"
  log "Redis on 127.0.0.1:$redis_port"
else
  echo "Redis did not start" >&2
  exit 1
fi

# The e-mail channel's mail pair: SMTP into one Maildir per recipient, served by dovecot over IMAP.
smtp_port=$(free_port)
imap_port=$(free_port)
# In /tmp like the PostgreSQL cluster: dovecot and the SMTP server run as "nobody", who may not enter the checkout.
mail_dir=$(mktemp -d /tmp/kefu-test-mail.XXXXXX)
echo "$mail_dir" > "$state/mail.dir"
chmod 755 "$mail_dir"
if scripts/mail/start.sh "$mail_dir" "$smtp_port" "$imap_port" && wait_port 127.0.0.1 "$smtp_port" 10 && wait_port 127.0.0.1 "$imap_port" 10; then
  export KEFU_TEST_MAIL="127.0.0.1:$smtp_port:$imap_port"
  log "mail: SMTP on 127.0.0.1:$smtp_port, IMAP on 127.0.0.1:$imap_port"
else
  echo "The mail pair did not start; see $mail_dir/*.log" >&2
  exit 1
fi

# --- build once --------------------------------------------------------------------------------
log "restoring tools and building"
dotnet tool restore >/dev/null || exit 1
if ! dotnet build Kefu.slnx -nologo -clp:ErrorsOnly; then
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# --- run ---------------------------------------------------------------------------------------
passed=0; failed=0; skipped=0; ran=0
run_tests() { # name project filter [env...]
  local name=$1 project=$2 filter=$3; shift 3
  log "testing $name"
  local out="$results/$name.log"
  env "$@" dotnet test "$project" --no-build -nologo ${filter:+--filter "$filter"} 2>&1 | tee "$out" | grep -E '^\s*(Failed|Passed|Skipped) [A-Z]|Failed!|Passed!|error' >&2
  local line
  line=$(grep -E '(Passed|Failed)!  - Failed:' "$out" | tail -n 1)
  if [ -z "$line" ]; then
    echo "   $name: no result line (the test host crashed?)" >&2
    failed=$((failed + 1))
    return
  fi
  ran=$((ran + 1))
  local phase_failed
  phase_failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")
  if [ "$phase_failed" -gt 0 ]; then
    # What failed and why, so a CI log alone is enough to start on it (the whole log stays in $out).
    echo "   $name: details of the failures" >&2
    grep -E -A 40 '^\s*Failed [A-Z]' "$out" | head -n 200 >&2
  fi
  passed=$((passed + $(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")))
  failed=$((failed + phase_failed))
  skipped=$((skipped + $(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")))
}

run_tests unit tests/Kefu.UnitTests ""
run_tests integration-sqlite tests/Kefu.IntegrationTests "Category!=ScaleOut"
# Same tests on PostgreSQL, plus two nodes over Redis; the durability tests start their own
# SQLite servers, and so does the container smoke test (Category=Container), so once is enough.
run_tests integration-postgres tests/Kefu.IntegrationTests "Category!=Durability&Category!=Container" "KEFU_TEST_POSTGRES=$KEFU_PG"
run_tests browser tests/Kefu.BrowserTests ""

# The published server: publish the build above, start it, fetch the demo page, the embed script and the widget app.
log "checking the published server"
if scripts/publish-check.sh 2>&1 | tee "$results/publish.log" >&2; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
