#!/bin/bash
# pg_cron jobs for the pgTAP tests, made from a second session (pg_cron lives
# in the database cron.database_name, postgres; a test that \connects there
# would end its own pgTAP session).
#
#   cron_job.sh schedule NAME DB SQL   # every minute, SQL run in database DB; prints the job id
#   cron_job.sh unschedule NAME        # removes the jobs called NAME; prints how many
#   cron_job.sh last NAME              # "status|message" of the last finished run of NAME
#                                      # (nothing while none has finished)
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
  last)
    psql -X -At -v ON_ERROR_STOP=1 -d postgres -v name="$2" <<'SQL'
SELECT d.status || '|' || coalesce(d.return_message, '') FROM cron.job_run_details d
  JOIN cron.job j ON j.jobid = d.jobid
 WHERE j.jobname = :'name' AND d.status IN ('succeeded', 'failed')
 ORDER BY d.runid DESC LIMIT 1;
SQL
    ;;
  *)
    echo "usage: $0 schedule NAME DB SQL | unschedule NAME | last NAME" >&2
    exit 2
    ;;
esac
