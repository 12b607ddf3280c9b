#!/usr/bin/env bash
# Stops what start.sh started, by pid.
state=$1
for f in smtp dovecot; do
  if [ -f "$state/$f.pid" ]; then kill "$(cat "$state/$f.pid")" 2>/dev/null || true; rm -f "$state/$f.pid"; fi
done
