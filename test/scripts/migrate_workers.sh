#!/bin/bash
# Second-session helpers for test/pgtap/migrate_workers.sql (background-worker
# migrations). The test starts them in the background and polls their output
# file: each writes OUT.part and renames it to OUT when it is done, so a reader
# never sees half a report.
#
#   migrate_workers.sh kill DB SCHEMA one|all OUT [TIMEOUT_S]
#     Polls (no fixed sleeps) until the latest 'running' run into SCHEMA has at
#     least one committed copy chunk while a minibar_migrate worker is copying
#     (pg_stat_progress_copy); then records, in one statement, what
#     minibar_migrate.progress, pg_stat_activity and pg_stat_progress_copy show,
#     and terminates one worker (preferably one that is copying) or all of the
#     database's workers. OUT: one line
#       killed|run_id|workers|copying_workers|copy_done|copy_tasks|state|rows_done|chunks_done|chunks|progress_workers|terminated
#     or "not seen|<last poll>" when that state did not come within TIMEOUT_S (default 30).
#
#   migrate_workers.sh notices DB OUT SQL
#     Runs SQL in a new psql session with client_min_messages = notice and
#     writes every line psql prints (NOTICEs included) prefixed with the Unix
#     time it arrived, then a last line "exit <psql status>".
set -uo pipefail

mode=${1:-}
case "$mode" in
  kill)
    db=$2 schema=$3 which=$4 out=$5 timeout=${6:-30}
    if ! [[ "$schema" =~ ^[a-z_][a-z0-9_]*$ ]] || ! [[ "$which" =~ ^(one|all)$ ]]; then
      echo "usage: $0 kill DB SCHEMA one|all OUT [TIMEOUT_S]" >&2
      exit 2
    fi
    rm -f "$out" "$out.part"
    snapshot="WITH r AS (SELECT max(run_id) AS run_id FROM minibar_migrate.runs
                         WHERE target_schema = '$schema' AND status = 'running'),
      w AS (SELECT pid FROM pg_stat_activity
             WHERE backend_type = 'minibar_migrate worker' AND datname = current_database()),
      c AS (SELECT count(*) AS n FROM pg_stat_progress_copy p WHERE p.pid IN (SELECT pid FROM w)),
      t AS (SELECT count(*) FILTER (WHERE kind = 'copy' AND state = 'done') AS done,
                   count(*) FILTER (WHERE kind = 'copy') AS total
              FROM minibar_migrate.run_tasks WHERE run_id = (SELECT run_id FROM r))
      SELECT concat_ws('|', r.run_id, (SELECT count(*) FROM w), c.n, t.done, t.total,
                       p.state, p.rows_done, p.chunks_done, p.chunks, p.workers)
        FROM r CROSS JOIN c CROSS JOIN t
        LEFT JOIN LATERAL (SELECT * FROM minibar_migrate.progress g
                            WHERE g.run_id = r.run_id ORDER BY g.table_no LIMIT 1) p ON true"
    limit=""
    [ "$which" = one ] && limit="LIMIT 1"
    terminate="SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM (
        SELECT pid FROM pg_stat_activity
         WHERE backend_type = 'minibar_migrate worker' AND datname = current_database()
         ORDER BY (pid IN (SELECT pid FROM pg_stat_progress_copy)) DESC, pid $limit) s"
    end=$(($(date +%s) + timeout))
    last="nothing polled"
    waited_for_copy=0
    while [ "$(date +%s)" -lt "$end" ]; do
      last=$(psql -X -At -d "$db" -c "$snapshot" 2>&1)
      IFS='|' read -r run_id workers copying done total _ <<<"$last"
      if [ -n "$run_id" ] && [ "${done:-0}" -ge 1 ] 2>/dev/null; then
        # A committed chunk: wait a little for a worker to be in a chunk too
        # (between two chunks none is), then act in any case.
        if [ "${copying:-0}" -ge 1 ] || [ "$waited_for_copy" -ge 50 ]; then
          killed=$(psql -X -At -d "$db" -c "$terminate" 2>&1)
          echo "killed|$last|$killed" >"$out.part"
          mv "$out.part" "$out"
          exit 0
        fi
        waited_for_copy=$((waited_for_copy + 1))
      fi
      sleep 0.02
    done
    echo "not seen|$last" >"$out.part"
    mv "$out.part" "$out"
    ;;
  notices)
    db=$2 out=$3 sql=$4
    rm -f "$out" "$out.part"
    {
      PGOPTIONS="-c client_min_messages=notice" psql -X -At -d "$db" -c "$sql" 2>&1
      echo "exit $?"
    } | while IFS= read -r line; do
      printf '%s %s\n' "$(date +%s.%N)" "$line"
    done >"$out.part"
    mv "$out.part" "$out"
    ;;
  *)
    echo "usage: $0 kill DB SCHEMA one|all OUT [TIMEOUT_S] | notices DB OUT SQL" >&2
    exit 2
    ;;
esac
