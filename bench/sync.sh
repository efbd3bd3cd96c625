#!/usr/bin/env bash
# Change-data-capture benchmark: apply rate and lag of minibar_migrate's sync
# worker (sync_start) under a steady write load on the source, at several
# target rates of row changes per second, with the load generator in the run.
#
#   bash bench/sync.sh                                # RATES="2000 5000 10000", 20 s each
#   RATES="1000 20000" DURATION=30 bash bench/sync.sh
#   bash bench/sync.sh 2>/dev/null                    # only the result table
#
# A benchmark, not a test: a slow apply or a large lag never makes it fail. It
# exits non-zero only when it cannot set up, when the sync does not catch up
# within CATCHUP_TIMEOUT (nothing left to measure), or when the target ends up
# different from the source (validate_checksums) — after printing the table.
# See bench/README.md.
#
# Environment (all optional):
#   RATES="2000 5000 10000"   target row changes per second, one load each
#   DURATION=20               seconds of load per rate
#   INITIAL_ROWS=100000       rows in the source table before the migration
#   TXN_ROWS=10               row changes per source transaction (6:3:1 insert:update:delete)
#   SAMPLE_INTERVAL=0.2       seconds between sync_status samples
#   CATCHUP_TIMEOUT=300       seconds allowed to catch up after a load
#   MY_FLUSH_AT_COMMIT=2      innodb_flush_log_at_trx_commit of the private MariaDB
#                             (2: no fsync per commit, so one generator connection
#                             is not bound by the disk; 1: durable commits)
#   PG_DB=minibar_bench_sync  PostgreSQL database (dropped and re-created every run)
#   LOG_DIR=/tmp/minibar_bench_sync   samples and generator output of the last run
# The source is a private MariaDB (test/scripts/mariadb_private.sh) with a ROW
# binlog in /tmp/minibar_mariadb_bench on 127.0.0.1:3309, started and stopped
# by the run.
set -euo pipefail

RATES=${RATES:-2000 5000 10000}
DURATION=${DURATION:-20}
INITIAL_ROWS=${INITIAL_ROWS:-100000}
TXN_ROWS=${TXN_ROWS:-10}
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-0.2}
CATCHUP_TIMEOUT=${CATCHUP_TIMEOUT:-300}
MY_FLUSH_AT_COMMIT=${MY_FLUSH_AT_COMMIT:-2}
PG_DB=${PG_DB:-minibar_bench_sync}
LOG_DIR=${LOG_DIR:-/tmp/minibar_bench_sync}

MY_BASE=/tmp/minibar_mariadb_bench
MY_PORT=3309
MY_DB=minibar_bench_sync
MY_SOCK=$MY_BASE/mysqld.sock
SERVER=bench_sync     # foreign server, and the target schema
SCHEMA=bench_sync
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PRIVATE=$HERE/../test/scripts/mariadb_private.sh

log() { printf '# %s\n' "$*" >&2; }
die() {
  printf 'sync.sh: %s\n' "$*" >&2
  exit 1
}

# ------------------------------------------------------------------ checks
for r in $RATES; do
  [[ $r =~ ^[1-9][0-9]*$ ]] || { echo "sync.sh: RATES must list positive integers, got '$r'" >&2; exit 2; }
done
[[ -n ${RATES// /} ]] || { echo "sync.sh: RATES is empty" >&2; exit 2; }
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
bench_positive_ints sync.sh DURATION INITIAL_ROWS CATCHUP_TIMEOUT
((INITIAL_ROWS >= 1000)) || { echo "sync.sh: INITIAL_ROWS must be at least 1000" >&2; exit 2; }
[[ $TXN_ROWS =~ ^[1-9][0-9]*$ && $TXN_ROWS -ge 10 && $((TXN_ROWS % 10)) -eq 0 ]] ||
  { echo "sync.sh: TXN_ROWS must be a multiple of 10, got '$TXN_ROWS'" >&2; exit 2; }
[[ $SAMPLE_INTERVAL =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "sync.sh: SAMPLE_INTERVAL must be a number of seconds" >&2; exit 2; }
[[ $MY_FLUSH_AT_COMMIT =~ ^[0-2]$ ]] || { echo "sync.sh: MY_FLUSH_AT_COMMIT must be 0, 1 or 2" >&2; exit 2; }
[[ $PG_DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "sync.sh: PG_DB must be a plain lower-case identifier" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || die "run as root (the private MariaDB needs it; /proc of the sync worker is read)"
for c in mariadb psql pg_config awk sort; do
  command -v "$c" >/dev/null || die "$c not found"
done
[[ -f $(pg_config --sharedir)/extension/minibar_migrate.control ]] ||
  die "minibar_migrate is not installed (make && make install)"
[[ -x $PRIVATE ]] || die "$PRIVATE not found"

# Deletes take the oldest rows: the table must not run out of them.
total_deletes=0
for r in $RATES; do total_deletes=$((total_deletes + r * DURATION / 10)); done
((total_deletes < INITIAL_ROWS)) ||
  die "the loads delete $total_deletes rows but the table starts with $INITIAL_ROWS (raise INITIAL_ROWS)"

my() { mariadb --no-defaults --user=root --socket="$MY_SOCK" --default-character-set=utf8mb4 "$@"; }
pg() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }
pgv() { pg -d "$PG_DB" -At -F'|' -c "$1"; } # one query, unaligned values
private() { MINIBAR_PRIVATE_OWNER=$$ MINIBAR_PRIVATE_BASE=$MY_BASE MINIBAR_PRIVATE_PORT=$MY_PORT MINIBAR_PRIVATE_BINLOG=1 "$PRIVATE" "$@"; }
now() { date +%s.%N; }

CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { # pid -> utime + stime of the process (all its threads), or "-"
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -; return; }
  s=${s##*) }
  awk '{ print $12 + $13 }' <<<"$s"
}
host_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; } # busy total
pct() { # ticks_before ticks_after seconds -> % of one core
  awk -v a="$1" -v b="$2" -v s="$3" -v hz="$CLK_TCK" 'BEGIN {
    if (a == "-" || b == "-" || s <= 0) print "-"; else printf "%.0f", (b - a) / hz / s * 100 }'
}

SYNC_STARTED=0 SAMPLER="" flag=""
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  if [[ -n $SAMPLER ]]; then
    touch "$flag"
    kill "$SAMPLER" 2>/dev/null || true
  fi
  if ((SYNC_STARTED)); then
    log "stopping the sync: $(pgv "SELECT minibar_migrate.sync_stop('$SERVER')" 2>&1 || true)"
  fi
  log "stopping the private MariaDB: $(private stop 2>&1 | tail -n 1)"
}

# ------------------------------------------------------------------ setup
log "sync benchmark: rates ${RATES} row changes/s, ${DURATION} s each, ${INITIAL_ROWS} initial rows, ${TXN_ROWS} row changes per transaction"
log "load average now: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

# A sync left running by an interrupted run holds the database: stop it first.
if [[ -n $(pg -d postgres -At -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") ]]; then
  pg -d "$PG_DB" -At -c "DO \$\$ BEGIN
      IF to_regclass('minibar_migrate.syncs') IS NOT NULL THEN
        PERFORM minibar_migrate.sync_stop(server) FROM minibar_migrate.syncs WHERE wanted = 'running';
      END IF; END \$\$" >/dev/null 2>&1 || true
fi
pg -d postgres -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" ||
  die "cannot re-create database $PG_DB"

trap cleanup EXIT
trap 'exit 130' INT TERM
log "starting the private MariaDB ($MY_BASE, 127.0.0.1:$MY_PORT, ROW binlog): $(private start 2>&1 | tail -n 1)"
my -e "SELECT 1" >/dev/null || die "the private MariaDB does not answer on $MY_SOCK"
MY_PID=$(cat "$MY_BASE/mysqld.pid" 2>/dev/null || echo -)

# The source table and the load generator. load_gen(rate, duration)
# paces itself in 10 ms ticks: by the end of tick k it has made
# rate * k / 100 row changes (never more; when it falls behind it runs
# without sleeping until it is back on schedule), for duration * 100 ticks,
# in transactions of TXN_ROWS
# changes: 60 % inserts (one multi-row INSERT), 30 % updates (one UPDATE of
# existing ids spread over the table), 10 % deletes (the oldest rows). It
# counts the rows each statement really changed (ROW_COUNT) and returns
# changes, transactions, elapsed seconds, end time (epoch), late ticks.
log "source: database $MY_DB, table events with $INITIAL_ROWS rows, procedure load_gen"
gen_values() { # n -> n VALUES rows for the INSERT
  local i out=""
  for ((i = 1; i <= $1; i++)); do
    out+="${out:+, }(1 + FLOOR(RAND() * 1000), ROUND(RAND() * 1000, 2), CONCAT('new ', hi + $i), NOW(6))"
  done
  printf '%s' "$out"
}
NI=$((TXN_ROWS * 6 / 10)) NU=$((TXN_ROWS * 3 / 10)) ND=$((TXN_ROWS / 10))
UPD_IDS="r" DEL_IDS="lo"
for ((i = 1; i < NU; i++)); do UPD_IDS+=", r + $((i * 7))"; done
for ((i = 1; i < ND; i++)); do DEL_IDS+=", lo + $i"; done
my --delimiter=// <<EOF || die "cannot create the source table and the load generator"
SET GLOBAL innodb_flush_log_at_trx_commit = $MY_FLUSH_AT_COMMIT//
RESET MASTER//
DROP DATABASE IF EXISTS $MY_DB//
CREATE DATABASE $MY_DB CHARACTER SET utf8mb4//
USE $MY_DB//
CREATE TABLE events (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  account INT NOT NULL,
  amount DECIMAL(12,2),
  note VARCHAR(64),
  created_at DATETIME(6),
  KEY (account)
)//
INSERT INTO events (id, account, amount, note, created_at)
  SELECT seq, 1 + seq % 1000, (seq % 100000) / 100, CONCAT('initial ', seq),
         TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq * 1000 MICROSECOND
    FROM seq_1_to_$INITIAL_ROWS//
CREATE PROCEDURE load_gen(rate INT, dur INT)
BEGIN
  DECLARE t0 DOUBLE DEFAULT UNIX_TIMESTAMP(SYSDATE(6));
  DECLARE el DOUBLE DEFAULT 0;
  DECLARE ticks BIGINT DEFAULT dur * 100;
  DECLARE k BIGINT DEFAULT 0;
  DECLARE due BIGINT;
  DECLARE done BIGINT DEFAULT 0;
  DECLARE txns BIGINT DEFAULT 0;
  DECLARE late BIGINT DEFAULT 0;
  DECLARE lo, hi, r BIGINT;
  SELECT MIN(id), MAX(id) INTO lo, hi FROM events;
  gen: LOOP
    SET k = k + 1;
    SET due = FLOOR(rate * k / 100);  -- exact: integer / integer is DECIMAL
    WHILE done + $TXN_ROWS <= due DO
      START TRANSACTION;
      INSERT INTO events (account, amount, note, created_at) VALUES $(gen_values "$NI");
      SET done = done + ROW_COUNT();
      SET hi = LAST_INSERT_ID() + $((NI - 1));
      SET r = lo + $ND + FLOOR(RAND() * (hi - lo - $ND - $((NU * 7))));
      UPDATE events SET amount = amount + 1, note = CONCAT('upd ', txns) WHERE id IN ($UPD_IDS);
      SET done = done + ROW_COUNT();
      DELETE FROM events WHERE id IN ($DEL_IDS);
      SET done = done + ROW_COUNT();
      SET lo = lo + $ND;
      COMMIT;
      SET txns = txns + 1;
    END WHILE;
    SET el = UNIX_TIMESTAMP(SYSDATE(6)) - t0;
    IF k / 100 > el THEN DO SLEEP(k / 100 - el); ELSE SET late = late + 1; END IF;
    IF k >= ticks THEN LEAVE gen; END IF;
  END LOOP;
  SET el = UNIX_TIMESTAMP(SYSDATE(6)) - t0;
  SELECT done, txns, el, UNIX_TIMESTAMP(SYSDATE(6)), late;
END//
EOF

log "PostgreSQL: database $PG_DB, server $SERVER -> 127.0.0.1:$MY_PORT/$MY_DB, migrate_database (workers 0), sync_start"
pg -d "$PG_DB" <<EOF || die "cannot set up PostgreSQL"
CREATE EXTENSION minibar_migrate;
CREATE SERVER $SERVER FOREIGN DATA WRAPPER minibar_mysql
  OPTIONS (host '127.0.0.1', port '$MY_PORT', dbname '$MY_DB', connect_timeout '5');
CREATE USER MAPPING FOR CURRENT_USER SERVER $SERVER OPTIONS (username 'minibar', password 'minibar');
CREATE SCHEMA $SCHEMA;
CREATE SCHEMA bench;
-- bench.caught_up(srv, timeout): the moment (epoch) the sync applied everything
-- up to the source head as it is now, or NULL after the timeout;
-- bench.streaming(srv, timeout): whether the sync worker streams (alive, state
-- streaming) before the timeout.
\set fn_schema bench
\i '$HERE/../test/scripts/sync_waits.sql'
EOF

t0=$(now)
migrated=$(pgv "SELECT count(*) FILTER (WHERE source_name = 'events' AND rows_copied = $INITIAL_ROWS),
                         string_agg(kind || ' ' || coalesce(source_name, '') || ' ' || coalesce(rows_copied::text, ''), ', ')
                  FROM minibar_migrate.migrate_database('$SERVER', '$SCHEMA', '{\"workers\": 0}')") ||
  die "migrate_database failed"
log "migrate_database: ${migrated#*|} ($(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s)"
[[ ${migrated%%|*} == 1 ]] || die "migrate_database did not migrate events: $migrated"
[[ $(pgv "SELECT count(*) FROM $SCHEMA.events") == "$INITIAL_ROWS" ]] || die "$SCHEMA.events does not have $INITIAL_ROWS rows"

started=$(pgv "SELECT string_agg(source_table || ' ' || state || coalesce(' (' || reason || ')', ''), ', ')
                 FROM minibar_migrate.sync_start('$SERVER', '$SCHEMA')") || die "sync_start failed"
SYNC_STARTED=1
log "sync_start: $started"
[[ $started == "events syncing" ]] || die "sync_start did not sync events: $started"
[[ $(pgv "SELECT bench.streaming('$SERVER', 60)") == t ]] ||
  die "the sync worker does not stream: $(pgv "SELECT state || ' ' || coalesce(last_error, '') FROM minibar_migrate.syncs WHERE server = '$SERVER'")"
[[ -n $(pgv "SELECT bench.caught_up('$SERVER', $CATCHUP_TIMEOUT)") ]] || die "the sync does not catch up before the load"
log "the sync worker streams (pid $(pgv "SELECT pid FROM minibar_migrate.syncs WHERE server = '$SERVER'")) and has caught up"

# ------------------------------------------------------------------ measure
# One sample: time, state, lag_seconds, lag_bytes (sync_status: against the
# source head the worker last saw), applied position, rows_applied, and the
# lag in bytes against the source head read by the sample itself.
SAMPLE_SQL="SELECT extract(epoch FROM clock_timestamp()), s.state, s.lag_seconds, s.lag_bytes, y.applied_file, y.applied_pos, y.rows_applied,
  CASE WHEN h.file = y.applied_file THEN greatest(h.pos - y.applied_pos, 0) END, h.file, h.pos
  FROM minibar_migrate.sync_status s JOIN minibar_migrate.syncs y USING (server), minibar_migrate.source_binlog_position('$SERVER') h
 WHERE s.server = '$SERVER';"

sampler() { # until the flag file exists (or the script is gone): one sample every SAMPLE_INTERVAL, through one psql session
  while [[ ! -e $1 ]] && kill -0 $$ 2>/dev/null; do
    printf '%s\n' "$SAMPLE_SQL"
    sleep "$SAMPLE_INTERVAL"
  done | PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -F'|' -d "$PG_DB" >"$2" 2>"$2.err"
}

# stats FILE COLUMN FROM TO -> "p50 p95 max n" of a column over the samples taken in [FROM, TO]
stats() {
  awk -F'|' -v c="$2" -v a="$3" -v b="$4" '$1 >= a && $1 <= b && $c != "" { print $c }' "$1" | sort -g |
    awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "- - - 0"; exit }
      i50 = int(0.5 * NR); if (i50 < 0.5 * NR) i50++
      i95 = int(0.95 * NR); if (i95 < 0.95 * NR) i95++
      printf "%s %s %s %d\n", v[i50] + 0, v[i95] + 0, v[NR] + 0, NR }'
}

# delays FILE FROM TO -> "p50 p95 max n": for each sample taken in [FROM, TO],
# the seconds until the applied position reached the source head that sample
# read (interpolated linearly between the two samples around that moment).
delays() {
  awk -F'|' -v a="$2" -v b="$3" '
    function ge(f1, p1, f2, p2) { return f1 > f2 || (f1 == f2 && p1 + 0 >= p2 + 0) }
    $9 != "" && $5 != "" { n++; t[n] = $1; af[n] = $5; ap[n] = $6; hf[n] = $9; hp[n] = $10 }
    END {
      j = 1
      for (i = 1; i <= n; i++) {
        if (t[i] < a || t[i] > b) continue
        if (j < i) j = i
        while (j <= n && !ge(af[j], ap[j], hf[i], hp[i])) j++
        if (j > n) continue                      # never reached within the samples
        r = t[j]
        if (j > i && af[j - 1] == af[j] && ap[j] > ap[j - 1] && hf[i] == af[j])
          r = t[j - 1] + (hp[i] - ap[j - 1]) / (ap[j] - ap[j - 1]) * (t[j] - t[j - 1])
        d = r - t[i]; print (d < 0 ? 0 : d)
      }
    }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "- - - 0"; exit }
      i50 = int(0.5 * NR); if (i50 < 0.5 * NR) i50++
      i95 = int(0.95 * NR); if (i95 < 0.95 * NR) i95++
      printf "%.2f %.2f %.2f %d\n", v[i50], v[i95], v[NR], NR }'
}

declare -a ROWS_OUT=()
PROBLEMS=() FAILED=0
last_err0=$(pgv "SELECT coalesce(last_error_at::text, '') FROM minibar_migrate.syncs WHERE server = '$SERVER'")
for rate in $RATES; do
  log ""
  log "rate $rate row changes/s for $DURATION s"
  IFS='|' read -r wpid rows0 <<<"$(pgv "SELECT pid, rows_applied FROM minibar_migrate.syncs WHERE server = '$SERVER'")"
  wcpu0=$(proc_ticks "$wpid")
  mcpu0=$(proc_ticks "$MY_PID")
  read -r hbusy0 htotal0 <<<"$(host_ticks)"
  flag=$LOG_DIR/stop_$rate samples=$LOG_DIR/samples_$rate.txt
  sampler "$flag" "$samples" &
  SAMPLER=$!

  gen_out=$(my -N -B "$MY_DB" -e "CALL load_gen($rate, $DURATION)" 2>"$LOG_DIR/load_gen_$rate.err") || {
    touch "$flag"
    die "the load generator failed: $(cat "$LOG_DIR/load_gen_$rate.err")"
  }
  echo "$gen_out" >"$LOG_DIR/load_gen_$rate.txt"
  read -r changes txns elapsed load_end late <<<"$gen_out"
  load_start=$(awk -v e="$load_end" -v d="$elapsed" 'BEGIN { printf "%.6f", e - d }')
  achieved=$(awk -v n="$changes" -v s="$elapsed" 'BEGIN { printf "%.0f", n / s }')
  log "load: $changes row changes in $txns transactions, $(printf '%.2f' "$elapsed") s = $achieved/s (target $rate; $late late ticks of 10 ms)"

  caught=$(pgv "SELECT bench.caught_up('$SERVER', $CATCHUP_TIMEOUT)" 2>&1) || caught=""
  wcpu1=$(proc_ticks "$wpid")
  mcpu1=$(proc_ticks "$MY_PID")
  read -r hbusy1 htotal1 <<<"$(host_ticks)"
  touch "$flag"
  wait "$SAMPLER" || true
  SAMPLER=""
  IFS='|' read -r wpid1 rows1 state err_at err <<<"$(pgv "SELECT pid, rows_applied, state, coalesce(last_error_at::text, ''), coalesce(last_error, '')
                                                         FROM minibar_migrate.syncs WHERE server = '$SERVER'")"
  if [[ $err_at != "$last_err0" ]]; then
    PROBLEMS+=("rate $rate: sync_status.last_error at $err_at: $err")
    last_err0=$err_at
  fi
  if [[ -z $caught || ! $caught =~ ^[0-9.]+$ ]]; then
    PROBLEMS+=("rate $rate: the sync did not catch up within $CATCHUP_TIMEOUT s (state $state${err:+, last error: $err}); later rates not measured")
    ROWS_OUT+=("$rate $achieved - - - - - - - - - timeout - - - -")
    FAILED=1
    break
  fi
  catchup=$(awk -v c="$caught" -v e="$load_end" 'BEGIN { d = c - e; printf "%.2f", (d < 0 ? 0 : d) }')
  wall=$(awk -v a="$elapsed" -v b="$catchup" 'BEGIN { print a + b }')
  applied=$((rows1 - rows0))
  apply_rate=$(awk -v n="$applied" -v s="$wall" 'BEGIN { printf "%.0f", n / s }')
  if [[ $wpid1 == "$wpid" ]]; then wcpu=$(pct "$wcpu0" "$wcpu1" "$wall"); else
    wcpu="-"
    PROBLEMS+=("rate $rate: the sync worker changed pid ($wpid -> $wpid1): it restarted")
  fi
  mcpu=$(pct "$mcpu0" "$mcpu1" "$wall")
  hcpu=$(awk -v a="$hbusy0" -v b="$hbusy1" -v c="$htotal0" -v d="$htotal1" 'BEGIN { printf "%.0f", (d > c ? (b - a) / (d - c) * 100 : 0) }')
  ((applied == changes)) || PROBLEMS+=("rate $rate: the source made $changes row changes, rows_applied grew by $applied")

  read -r ls50 ls95 lsmax nsamples <<<"$(stats "$samples" 3 "$load_start" "$load_end")"
  read -r lb50 lb95 lbmax nlb <<<"$(stats "$samples" 4 "$load_start" "$load_end")"
  read -r hb50 hb95 hbmax _ <<<"$(stats "$samples" 8 "$load_start" "$load_end")"
  read -r d50 d95 dmax nd <<<"$(delays "$samples" "$load_start" "$load_end")"
  log "lag during the load ($nsamples samples): sync_status lag_seconds p50 $ls50 p95 $ls95 max $lsmax, lag_bytes p50 $lb50 p95 $lb95 max $lbmax (NULL in $((nsamples - nlb)) samples)"
  log "  measured by the samples: bytes behind the head p50 $hb50 p95 $hb95 max $hbmax; seconds until the head was applied ($nd samples) p50 $d50 p95 $d95 max $dmax"
  log "caught up ${catchup} s after the load; rows_applied +$applied = $apply_rate/s over $(printf '%.2f' "$wall") s; CPU: worker $wcpu %, mariadbd $mcpu %, host $hcpu % of all cores"

  ok=$(pgv "SELECT bool_and(ok) FROM minibar_migrate.validate_checksums('$SERVER', 'events', '$SCHEMA.events'::regclass)" 2>&1) ||
    ok="error: $ok"
  log "validate_checksums: $ok"
  if [[ $ok != t ]]; then
    PROBLEMS+=("rate $rate: validate_checksums of events: $ok (the target differs from the source)")
    FAILED=1
  fi
  valid=$ok
  [[ $ok == t || $ok == f ]] || valid=error
  ROWS_OUT+=("$rate $achieved $apply_rate $ls50 $ls95 $lsmax $lbmax $d50 $d95 $dmax $hbmax $catchup $wcpu $mcpu $hcpu $valid")
done

# ------------------------------------------------------------------ report
FMT='%-7s %8s %8s | %5s %5s %5s %9s | %5s %5s %5s %9s | %8s | %6s %6s %5s | %s\n'
printf '\nsync apply rate and lag: %s s of load per rate, %s row changes per source transaction (60%% insert, 30%% update, 10%% delete), samples every %s s\n' \
  "$DURATION" "$TXN_ROWS" "$SAMPLE_INTERVAL"
# shellcheck disable=SC2059
{
  printf '%-7s %8s %8s | %-27s | %-27s | %8s | %-19s | %s\n' target achieved applied \
    "sync_status lag" "measured lag" catch-up "CPU % of one core" valid
  printf "$FMT" rows/s rows/s rows/s p50_s p95_s max_s max_bytes p50_s p95_s max_s max_bytes s worker mysqld host ""
  for row in "${ROWS_OUT[@]}"; do
    # shellcheck disable=SC2086
    printf "$FMT" $row
  done
}
cat <<EOF

achieved  = row changes the generator made / its own seconds
applied   = delta of syncs.rows_applied / (load + catch-up)
sync_status lag = its lag_seconds and lag_bytes, sampled during the load (both against the source head the
            worker last polled; lag_seconds in whole seconds of binlog event time)
measured lag = from the samples: seconds until the applied position reached the source head a sample read
            (interpolated between samples), and bytes between that head and the applied position
catch-up  = from the end of the load until the applied position reached the source head
CPU       = % of one core over load + catch-up: the sync worker, the private mariadbd (which also runs the
            generator), and the host (busy % of all $(nproc) cores, anything else running included);
            load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
EOF
if ((${#PROBLEMS[@]})); then
  printf '\nproblems:\n'
  for p in "${PROBLEMS[@]}"; do printf '  %s\n' "$p"; done
fi
printf 'samples and generator output: %s\n' "$LOG_DIR"
exit "$FAILED"
