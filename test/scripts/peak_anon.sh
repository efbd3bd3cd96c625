#!/bin/bash
# Runs one SQL statement in a new session of database $1 and prints the peak
# private memory (RssAnon, kB) of its backend, sampled every 20 ms from
# /proc while the statement runs, then the statement's output on one line:
#   bash test/scripts/peak_anon.sh DB "SELECT ..."   ->   "5936 big_copy|5000000|0|12.2"
# VmHWM would count the shared buffers the backend touched; RssAnon is the
# backend's own memory, which is what must stay bounded by the batch size.
# The session's NOTICEs (progress) are not printed: only the result is.
set -euo pipefail
db=$1
sql=$2
tag="peak_anon_$$"
out=$(mktemp)
psql -X -q -d "$db" -At -v ON_ERROR_STOP=1 -c "SET application_name = '$tag'" \
  -c "SET client_min_messages = warning" -c "$sql" >"$out" 2>&1 &
client=$!
pid=""
# Wait (polling) for the backend to appear; the client may also end first.
for _ in $(seq 1 500); do
  pid=$(psql -X -d "$db" -At -c "SELECT pid FROM pg_stat_activity WHERE application_name = '$tag'" || true)
  [ -n "$pid" ] && break
  kill -0 "$client" 2>/dev/null || break
  sleep 0.01
done
peak=0
while [ -n "$pid" ] && [ -r "/proc/$pid/status" ] && kill -0 "$client" 2>/dev/null; do
  a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  if [ -n "$a" ] && [ "$a" -gt "$peak" ]; then peak=$a; fi
  sleep 0.02
done
status=0
wait "$client" || status=$?
echo "$peak $(tr '\n' ' ' <"$out")"
rm -f "$out"
exit "$status"
