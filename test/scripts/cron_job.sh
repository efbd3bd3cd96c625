#!/bin/bash
# pg_cron jobs for the pgTAP tests, made from a second session (pg_cron lives
# in the database cron.database_name, postgres; a test that \connects there
# would end its own pgTAP session).
#
#   cron_job.sh schedule NAME DB SQL   # every minute, SQL run in database DB; prints the job id
#   cron_job.sh unschedule NAME        # removes the jobs called NAME; prints how many
set -euo pipefail
case "${1:-}" in
  schedule)
    psql -X -At -v ON_ERROR_STOP=1 -d postgres -v name="$2" -v db="$3" -v sql="$4" <<'SQL'
SELECT cron.schedule_in_database(:'name', '* * * * *', :'sql', :'db');
SQL
    ;;
  unschedule)
    psql -X -At -v ON_ERROR_STOP=1 -d postgres -v name="$2" <<'SQL'
SELECT count(cron.unschedule(jobid)) FROM cron.job WHERE jobname = :'name';
SQL
    ;;
  *)
    echo "usage: $0 schedule NAME DB SQL | unschedule NAME" >&2
    exit 2
    ;;
esac
