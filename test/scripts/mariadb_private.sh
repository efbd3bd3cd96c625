#!/bin/bash
# A private MariaDB server for fault-injection tests (test/pgtap/mysql_faults.sql):
# its own datadir, socket, pid file and port (3307), so the tests can kill -9
# and restart it without touching the system server on 3306.
#
#   test/scripts/mariadb_private.sh start    # fresh datadir on first use; waits until it answers
#   test/scripts/mariadb_private.sh stop     # clean shutdown (kill -9 if it hangs); waits until gone
#   test/scripts/mariadb_private.sh kill     # kill -9 mariadbd; waits until the process is gone
#   test/scripts/mariadb_private.sh status   # "running <pid>" (exit 0) or "stopped" (exit 3)
#
# Must run as root (mariadbd drops to --user=mysql). The server accepts user
# minibar/minibar over TCP 127.0.0.1 with ALL on databases `minibar\_%` and
# PROCESS, like the system server. Every wait polls for the state it needs, up
# to a deadline. Environment: MINIBAR_PRIVATE_BASE (default
# /tmp/minibar_mariadb_private), MINIBAR_PRIVATE_PORT (default 3307),
# MINIBAR_PRIVATE_BINLOG (1: with a ROW binlog), and
# MINIBAR_PRIVATE_OWNER: start records it as the server's owner; stop with it
# set does nothing when another owner has (re)started the server since (so a
# late watchdog of a finished test run cannot stop the next run's server).
set -euo pipefail

BASE=${MINIBAR_PRIVATE_BASE:-/tmp/minibar_mariadb_private}
PORT=${MINIBAR_PRIVATE_PORT:-3307}
DATADIR=$BASE/data
SOCK=$BASE/mysqld.sock
PIDFILE=$BASE/mysqld.pid
ERRLOG=$BASE/mysqld.err
OWNERFILE=$BASE/owner
OWNER=${MINIBAR_PRIVATE_OWNER:-}
# MINIBAR_PRIVATE_BINLOG=1: write a ROW binlog with full row metadata (files
# $BASE/binlog.*), for change-data-capture tests; otherwise no binlog.
if [ "${MINIBAR_PRIVATE_BINLOG:-0}" = 1 ]; then
  BINLOG_ARGS=(--log-bin="$BASE/binlog" --binlog-format=ROW --binlog-row-metadata=FULL --server-id=2)
else
  BINLOG_ARGS=(--skip-log-bin)
fi

die() {
  echo "mariadb_private: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || die "must run as root"

ping_ok() {
  mariadb-admin --no-defaults --user=root --socket="$SOCK" --connect-timeout=2 ping >/dev/null 2>&1
}

# The pid of our mariadbd when it is alive (a stale pid file or a reused pid
# gives nothing).
server_pid() {
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = mariadbd ] || return 1
  echo "$pid"
}

now_ms() { date +%s%3N; }

# wait_gone PID SECONDS: true once PID has exited.
wait_gone() {
  local pid=$1 deadline=$(($(now_ms) + $2 * 1000))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

do_start() {
  mkdir -p "$BASE"
  echo "$OWNER" >"$OWNERFILE"
  if ping_ok; then
    echo "running $(server_pid || echo '?') (already)"
    return 0
  fi
  local pid
  if pid=$(server_pid); then
    # Alive but not answering: starting up or shutting down. Give it time, then force.
    local deadline=$(($(now_ms) + 30000))
    while kill -0 "$pid" 2>/dev/null && ! ping_ok && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
    if ping_ok; then
      echo "running $pid (already)"
      return 0
    fi
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || die "mariadbd $pid does not go away"
    fi
  fi

  mkdir -p "$BASE"
  chown mysql:mysql "$BASE"
  chmod 755 "$BASE"
  if [ ! -d "$DATADIR/mysql" ]; then
    rm -rf "$DATADIR"
    mariadb-install-db --no-defaults --user=mysql --basedir=/usr --datadir="$DATADIR" \
      --auth-root-authentication-method=socket --skip-test-db >"$BASE/install.log" 2>&1 ||
      die "mariadb-install-db failed, see $BASE/install.log"
  fi
  chown -R mysql:mysql "$DATADIR"
  rm -f "$SOCK" "$SOCK.lock"
  # Its own tmpdir: at startup mariadbd deletes #sql* files in its tmpdir, which
  # in /tmp could be the system server's temporary tables.
  install -d -o mysql -g mysql -m 700 "$BASE/tmp"

  # setsid: its own session, so no signal aimed at the caller's process group
  # (psql, pg_prove) reaches it. A background job of a script is no group
  # leader, so setsid does not fork and $! is mariadbd itself. 9>&-: the
  # server must not inherit (and hold) the lock.
  setsid mariadbd --no-defaults --user=mysql --basedir=/usr --datadir="$DATADIR" \
    --socket="$SOCK" --pid-file="$PIDFILE" --port="$PORT" --bind-address=127.0.0.1 \
    --log-error="$ERRLOG" --skip-name-resolve "${BINLOG_ARGS[@]}" --tmpdir="$BASE/tmp" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
    </dev/null >>"$BASE/stdout.log" 2>&1 9>&- &
  local mpid=$!

  local deadline=$(($(now_ms) + 60000))
  until ping_ok; do
    if ! kill -0 "$mpid" 2>/dev/null && ! server_pid >/dev/null; then
      tail -n 20 "$ERRLOG" >&2 || true
      die "mariadbd exited during startup, see $ERRLOG"
    fi
    [ "$(now_ms)" -lt "$deadline" ] || die "mariadbd did not answer within 60 s, see $ERRLOG"
    sleep 0.1
  done

  mariadb --no-defaults --user=root --socket="$SOCK" -e "
    CREATE USER IF NOT EXISTS 'minibar'@'127.0.0.1' IDENTIFIED BY 'minibar';
    CREATE USER IF NOT EXISTS 'minibar'@'localhost' IDENTIFIED BY 'minibar';
    GRANT ALL PRIVILEGES ON \`minibar\\_%\`.* TO 'minibar'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON \`minibar\\_%\`.* TO 'minibar'@'localhost';
    GRANT PROCESS ON *.* TO 'minibar'@'127.0.0.1';
    GRANT PROCESS ON *.* TO 'minibar'@'localhost';
    GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD ON *.* TO 'minibar'@'127.0.0.1', 'minibar'@'localhost';" ||
    die "could not create user minibar"
  echo "running $(server_pid || echo "$mpid")"
}

do_stop() {
  local pid
  if [ -n "$OWNER" ] && [ "$(cat "$OWNERFILE" 2>/dev/null)" != "$OWNER" ]; then
    echo "not stopped: started by another owner"
    return 0
  fi
  if ! pid=$(server_pid); then
    echo "stopped"
    return 0
  fi
  mariadb-admin --no-defaults --user=root --socket="$SOCK" --connect-timeout=2 shutdown \
    >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 30; then
    kill -9 "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "mariadbd $pid does not go away"
  fi
  echo "stopped"
}

do_kill() {
  local pid
  pid=$(server_pid) || die "not running"
  kill -9 "$pid"
  wait_gone "$pid" 10 || die "mariadbd $pid survives kill -9"
  echo "killed $pid"
}

do_status() {
  local pid
  if ping_ok; then
    echo "running $(server_pid || echo '?')"
    return 0
  fi
  if pid=$(server_pid); then
    echo "not answering $pid"
  else
    echo "stopped"
  fi
  return 3
}

cmd=${1:-}
case "$cmd" in
  start | stop | kill)
    # One state change at a time (the test's own stop and a leftover one may race).
    mkdir -p "$BASE"
    exec 9>"$BASE/.lock"
    flock -w 120 9 || die "lock timeout"
    "do_$cmd"
    ;;
  status) do_status ;;
  *)
    echo "usage: $0 start|stop|kill|status" >&2
    exit 2
    ;;
esac
