#!/bin/bash
# Installs every dependency (Debian 12, as root), builds and installs the
# extension, and starts PostgreSQL 15 (cluster 15/main, pg_cron preloaded) and
# MariaDB 10.11. Idempotent: a second run only rebuilds what changed and
# leaves running servers alone.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "provision.sh must run as root (it installs packages and starts servers)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
PACKAGES=(
  ca-certificates build-essential g++ make cmake pkg-config clang-format valgrind
  postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap postgresql-15-cron
  libtap-parser-sourcehandler-pgtap-perl
  mariadb-server mariadb-client libmariadb-dev
  libsqlite3-dev sqlite3 libgtest-dev libgmock-dev openssl python3
  dpkg-dev debhelper postgresql-server-dev-all
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== building and installing the extension"
make -s -j"$(nproc)" WERROR="${WERROR:-0}"
make -s install

echo "== PostgreSQL 15 (cluster 15/main, pg_cron and minibar_migrate preloaded)"
# initdb refuses to run as root; Debian's cluster tools switch to postgres.
if ! pg_lsclusters -h | awk '$1 == 15 && $2 == "main"' | grep -q .; then
  pg_createcluster 15 main
fi
restart=0
conf() {  # set a postgresql.conf value; remember whether a restart is needed
  local cur
  cur=$(pg_conftool -s 15 main show "$1" 2>/dev/null || true)
  if [ "$cur" != "$2" ]; then
    pg_conftool 15 main set "$1" "$2"
    restart=1
  fi
}
# minibar_migrate: its launcher brings syncs (change data capture) back after
# a restart.
conf shared_preload_libraries pg_cron,minibar_migrate
conf cron.database_name postgres
# The databases whose syncs the launcher serves (none by default): the
# pgTAP, pg_regress, demo, sync benchmark and test/ops/dump_restore.sh databases.
conf minibar_migrate.sync_databases "minibar_tap, contrib_regression_minibar_migrate, minibar_demo, minibar_bench_sync, minibar_ops_dump, minibar_ops_restored"
# pg_cron runs jobs in background workers (no libpq login, so no password for
# root); more worker slots for them beside migration workers and parallel
# index builds.
conf cron.use_background_workers on
conf max_worker_processes 16
# minibar_migrate is preloaded: a running server keeps the library it
# started with, so a newly installed build needs a restart to be the one tested.
LIB="$(pg_config --pkglibdir)/minibar_migrate.so"
STAMP=/var/lib/postgresql/15/main/minibar_migrate.so.loaded
if [ "$(md5sum <"$LIB")" != "$(cat "$STAMP" 2>/dev/null)" ]; then restart=1; fi
if pg_lsclusters -h | awk '$1 == 15 && $2 == "main" {print $4}' | grep -q online; then
  [ "$restart" = 1 ] && pg_ctlcluster 15 main restart
else
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 60); do pg_isready -q && break; sleep 0.5; done
pg_isready
md5sum <"$LIB" >"$STAMP"
# Tests and the demo run as root: give root a superuser role.
su postgres -c "psql -qAt -v ON_ERROR_STOP=1 -c \"SELECT 1 FROM pg_roles WHERE rolname = 'root'\"" \
  | grep -q 1 || su postgres -c "createuser -s root"

echo "== MariaDB 10.11 (with TLS, for the wrapper's ssl_mode tests)"
install -d -o mysql -g mysql -m 755 /run/mysqld
# A private CA and a server certificate for 127.0.0.1/localhost.
TLS=/etc/mysql/minibar-tls
if [ ! -f "$TLS/server-cert.pem" ]; then
  install -d -m 755 "$TLS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=minibar test CA" \
    -keyout "$TLS/ca-key.pem" -out "$TLS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$TLS/server-key.pem" -out "$TLS/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$TLS/san.ext"
  openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" \
    -CAcreateserial -days 3650 -extfile "$TLS/san.ext" -out "$TLS/server-cert.pem" 2>/dev/null
  chown mysql:mysql "$TLS/server-key.pem"
  chmod 600 "$TLS/server-key.pem" "$TLS/ca-key.pem"
  chmod 644 "$TLS/ca.pem" "$TLS/server-cert.pem"
fi
cat >/etc/mysql/mariadb.conf.d/99-minibar-tls.cnf <<EOF_TLS
[mariadbd]
ssl_ca = $TLS/ca.pem
ssl_cert = $TLS/server-cert.pem
ssl_key = $TLS/server-key.pem
EOF_TLS
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
fi
if ! mariadb-admin ping --silent 2>/dev/null; then
  # No systemd here: start the daemon itself, detached; it drops to user mysql.
  (setsid /usr/sbin/mariadbd --user=mysql >/var/log/mariadbd-minibar.log 2>&1 &)
  for _ in $(seq 1 120); do mariadb-admin ping --silent 2>/dev/null && break; sleep 0.5; done
fi
mariadb-admin ping
if [ "$(mariadb -N -e "SELECT @@have_ssl")" != YES ]; then
  echo "== restarting MariaDB to turn TLS on"
  mariadb-admin shutdown
  for _ in $(seq 1 120); do mariadb-admin ping --silent 2>/dev/null || break; sleep 0.5; done
  (setsid /usr/sbin/mariadbd --user=mysql >>/var/log/mariadbd-minibar.log 2>&1 &)
  for _ in $(seq 1 120); do mariadb-admin ping --silent 2>/dev/null && break; sleep 0.5; done
  mariadb-admin ping
fi
# A password user for TCP connections from the wrappers (tests, demo, bench).
# PROCESS lets it see and KILL its own queries from a second connection.
mariadb -e "CREATE USER IF NOT EXISTS 'minibar'@'localhost' IDENTIFIED BY 'minibar';
  CREATE USER IF NOT EXISTS 'minibar'@'127.0.0.1' IDENTIFIED BY 'minibar';
  GRANT ALL ON \`minibar\\_%\`.* TO 'minibar'@'localhost', 'minibar'@'127.0.0.1';
  GRANT PROCESS ON *.* TO 'minibar'@'localhost', 'minibar'@'127.0.0.1';"
echo "== ready"
