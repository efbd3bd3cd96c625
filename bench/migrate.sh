#!/usr/bin/env bash
# Whole-database migration benchmark: minibar_migrate.migrate_database (from
# MariaDB and from SQLite) vs pgloader vs mysql_fdw + INSERT ... SELECT vs
# PostgreSQL restoring the same database from a local dump (pg_restore -j, the
# PostgreSQL-side floor for the whole database), and minibar's migrate_table vs
# the floor for the biggest table (COPY from a local file + the same index
# builds).
#
#   bash bench/migrate.sh [scale]      # scale = millions of stock movements (default 1)
#   RUNS=1 bash bench/migrate.sh 0.2   # quick run
#   WORKERS="0 1 2 4" ENGINES="minibar_mysql pgloader" bash bench/migrate.sh
#
# A benchmark, not a test: timings never make it fail. It exits non-zero only
# when it cannot set up, or when an engine errored or produced the wrong row
# counts (after printing the table). See bench/README.md.
#
# Environment (all optional):
#   RUNS=3              measurements per engine; the median is shown
#   ENGINES="minibar_mysql minibar_sqlite pgloader mysql_fdw restore_limit copy_limit minibar_table"
#   WORKERS="0 2"       background-worker counts the minibar engines are measured
#                       with ({"workers": N}; "default" = no option), one row each
#   TIMEOUT=3600        seconds allowed per measurement
#   MY_DB=minibar_bench_migrate   MariaDB database generated and migrated
#   MY_HOST=127.0.0.1 MY_PORT=3306 MY_USER=minibar MY_PASSWORD=minibar
#   DATA_DIR=/var/lib/minibar_migrate/bench   SQLite file, the COPY file, logs
#   PG_DB=bench_migrate PGL_DB=bench_pgloader RST_DB=bench_restore
#                       PostgreSQL databases (dropped and re-created by every
#                       invocation)
set -euo pipefail

SCALE=${1:-${SCALE:-1}}
RUNS=${RUNS:-3}
ENGINES=${ENGINES:-minibar_mysql minibar_sqlite pgloader mysql_fdw restore_limit copy_limit minibar_table}
WORKERS=${WORKERS:-0 2}
TIMEOUT=${TIMEOUT:-3600}
MY_DB=${MY_DB:-minibar_bench_migrate}
MY_HOST=${MY_HOST:-127.0.0.1}
MY_PORT=${MY_PORT:-3306}
MY_USER=${MY_USER:-minibar}
MY_PASSWORD=${MY_PASSWORD:-minibar}
DATA_DIR=${DATA_DIR:-/var/lib/minibar_migrate/bench}
PG_DB=${PG_DB:-bench_migrate}
PGL_DB=${PGL_DB:-bench_pgloader}
RST_DB=${RST_DB:-bench_restore}
# Bump when the generated schema or data change: older data is then regenerated.
DATA_TAG='minibar bench migrate v1'
SQLITE_TAG=1 # PRAGMA user_version of the SQLite file

# ------------------------------------------------------------------ checks
if ! [[ $SCALE =~ ^([0-9]+(\.[0-9]*)?|\.[0-9]+)$ ]]; then
  echo "migrate.sh: scale must be a positive number (millions of stock movements), got '$SCALE'" >&2
  exit 2
fi
N=$(awk -v s="$SCALE" 'BEGIN { printf "%d", s * 1000000 + 0.5 }')
if ((N < 1)); then
  echo "migrate.sh: scale $SCALE gives no stock movements" >&2
  exit 2
fi
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_positive_ints migrate.sh RUNS TIMEOUT
bench_engines migrate.sh "minibar_mysql minibar_sqlite pgloader mysql_fdw restore_limit copy_limit minibar_table"
WORKER_COUNTS=() # WORKERS without duplicates, in the given order
for w in $WORKERS; do
  if ! [[ $w == default || ($w =~ ^[0-9]+$ && $((10#$w)) -le 64) ]]; then
    echo "migrate.sh: WORKERS must list worker counts 0..64 or 'default', got '$w'" >&2
    exit 2
  fi
  [[ $w == default ]] || w=$((10#$w))
  [[ " ${WORKER_COUNTS[*]} " == *" $w "* ]] || WORKER_COUNTS+=("$w")
done
if ((${#WORKER_COUNTS[@]} == 0)); then
  echo "migrate.sh: WORKERS is empty (give at least one worker count, e.g. WORKERS=0)" >&2
  exit 2
fi
for v in MY_DB PG_DB PGL_DB RST_DB; do
  if ! [[ ${!v} =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "migrate.sh: $v must be a plain lower-case identifier, got '${!v}'" >&2
    exit 2
  fi
done

# Rows per table (the generator below makes exactly these).
TABLES=(hotels floors rooms users product_groups products minibar_items stock_movements)
declare -A EXPECT=([hotels]=20 [floors]=100 [rooms]=2000 [users]=500 [product_groups]=30
  [products]=300 [minibar_items]=20000 [stock_movements]=$N)
TOTAL_ROWS=0
for t in "${TABLES[@]}"; do TOTAL_ROWS=$((TOTAL_ROWS + EXPECT[$t])); done
EXPECT_FKS=10

# What is measured: one job per engine, and for each minibar engine one per
# worker count ("minibar_mysql.w2", "minibar_table.wdefault").
JOBS=()
for e in $ENGINES; do
  case $e in
  minibar_*) for w in "${WORKER_COUNTS[@]}"; do JOBS+=("$e.w$w"); done ;;
  *) JOBS+=("$e") ;;
  esac
done
engine_of() { printf '%s' "${1%%.w*}"; }
workers_of() { # job -> its worker count ("default"), or nothing
  if [[ $1 == *.w* ]]; then printf '%s' "${1##*.w}"; fi
}
# A minibar job whose work is done by background workers, not the caller.
in_workers() { local w; w=$(workers_of "$1"); [[ -n $w && $w != 0 ]]; }

SQLITE_FILE=$DATA_DIR/minibar_bench.sqlite
DUMP_DIR=$DATA_DIR/restore_dump
RESTORE_JOBS=$(nproc)
TSV_FILE=$DATA_DIR/stock_movements.tsv
LOG_DIR=$DATA_DIR/last_run

log() { printf '# %s\n' "$*" >&2; }
stage() { printf '\n## %s\n' "$*" >&2; }
die() {
  printf 'migrate.sh: %s\n' "$*" >&2
  exit 1
}
now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

my() {
  MYSQL_PWD=$MY_PASSWORD mariadb --protocol=TCP -h"$MY_HOST" -P"$MY_PORT" \
    -u"$MY_USER" --default-character-set=utf8mb4 "$@"
}
pg() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# CPU accounting, from /proc/<pid>/stat (utime, stime, cutime, cstime in clock
# ticks). PostgreSQL: the postmaster's own and its reaped children's times
# (utime + stime + cutime + cstime) plus the live children's utime + stime,
# so backends and workers that exit during a measurement still count.
# MariaDB: the server process listening on MY_PORT (all its threads).
CLK_TCK=$(getconf CLK_TCK)
PG_POSTMASTER="" MY_PID=""
find_server_pids() {
  local dir
  dir=$(pg -d postgres -At -c "SHOW data_directory" 2>/dev/null || true)
  PG_POSTMASTER=$(sed -n 1p "$dir/postmaster.pid" 2>/dev/null || true)
  [[ $PG_POSTMASTER =~ ^[0-9]+$ && -r /proc/$PG_POSTMASTER/stat ]] || PG_POSTMASTER=""
  MY_PID=$(ss -Htlnp "sport = :$MY_PORT" 2>/dev/null |
    awk '!p && match($0, /pid=[0-9]+/) { p = substr($0, RSTART + 4, RLENGTH - 4) } END { print p }' || true)
  log "CPU accounting: postmaster pid ${PG_POSTMASTER:-not found}, MariaDB server pid ${MY_PID:-not found} (port $MY_PORT), $CLK_TCK ticks/s"
}
cpu_ticks() { # -> "pg_ticks mysqld_ticks" now ("-" when the process is not known)
  local stats
  stats=$(cat /proc/[0-9]*/stat 2>/dev/null || true)
  awk -v pm="${PG_POSTMASTER:--1}" -v my="${MY_PID:--1}" '{
      s = $0; sub(/^.*\) /, "", s); split(s, f, " ") # f[2] ppid, f[12] utime, f[13] stime, f[14] cutime, f[15] cstime
      if ($1 == pm) { pg += f[12] + f[13] + f[14] + f[15]; pgseen = 1 } else if (f[2] == pm) pg += f[12] + f[13]
      if ($1 == my) { m = f[12] + f[13]; myseen = 1 }
    } END { print (pgseen ? pg : "-"), (myseen ? m : "-") }' <<<"$stats"
}
cpu_secs() { # ticks before, ticks after (as cpu_ticks prints them) -> "pg_s mysqld_s"
  awk -v a="$1" -v b="$2" -v hz="$CLK_TCK" 'BEGIN { split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= 2; i++)
      printf "%s%s", (i > 1 ? " " : ""), (x[i] == "-" || y[i] == "-" ? "-" : sprintf("%.2f", (y[i] - x[i]) / hz))
    print "" }'
}
cores_busy() { # wall cpu_s... -> the known cpu seconds summed / wall
  awk 'BEGIN { for (i = 2; i < ARGC; i++) if (ARGV[i] != "-") s += ARGV[i]
    printf "%.2f", (ARGV[1] > 0 ? s / ARGV[1] : 0) }' "$@"
}

POLLER=""
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  if [[ -n $POLLER ]]; then
    kill "$POLLER" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. install
install_deps() {
  local missing=() p
  for p in pgloader postgresql-15-mysql-fdw sqlite3 time; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]})); then
    stage "installing ${missing[*]}"
    [[ $(id -u) -eq 0 ]] || die "${missing[*]} missing and installing needs root"
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  fi
  [[ $(id -u) -eq 0 ]] || die "run as root (pgloader runs as the postgres OS user, /proc of backends is read)"
  [[ -f $(pg_config --sharedir)/extension/minibar_migrate.control ]] ||
    die "minibar_migrate is not installed (make && make install)"
  mkdir -p "$DATA_DIR"
  chmod 755 "$DATA_DIR"
  rm -rf "$LOG_DIR"
  mkdir -p "$LOG_DIR/pgloader"
  chown postgres: "$LOG_DIR/pgloader"
}

# ------------------------------------------------------- 2. source databases
# Helpers that give the same value in MariaDB and in SQLite.
elt_my() { # expr label... -> the label number (expr % count)
  local e=$1 out
  shift
  out="ELT(1 + ($e) % $#"
  for l in "$@"; do out+=", '$l'"; done
  printf '%s)' "$out"
}
elt_lite() {
  local e=$1 i=0 out
  shift
  out="CASE ($e) % $#"
  for l in "$@"; do
    out+=" WHEN $i THEN '$l'"
    i=$((i + 1))
  done
  printf '%s END' "$out"
}
dt_my() { printf "TIMESTAMP'%s' + INTERVAL (%s) SECOND" "$1" "$2"; }
dt_lite() { printf "datetime('%s', '+' || (%s) || ' seconds')" "$1" "$2"; }

HOTEL_NAMES=(Anadolu Ege Boğaziçi Kapadokya Karadeniz)
CITIES=(Ankara İzmir İstanbul Nevşehir Trabzon)
ROOM_TYPES=(single double suite)
ROLES=(staff supervisor manager)
PRODUCT_NAMES=(Su Kola Çikolata Fıstık Bira Şarap)
MOVEMENT_TYPES=(refill consume adjust return)

mariadb_counts() { # prints "table=count ..." in TABLES order, or nothing
  local q="" t
  for t in "${TABLES[@]}"; do
    q+="${q:+ UNION ALL }SELECT '$t', COUNT(*) FROM \`$MY_DB\`.$t"
  done
  my -N -B -e "$q" 2>/dev/null | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }'
}

expected_counts() {
  local t out=""
  for t in "${TABLES[@]}"; do out+="${out:+ }$t=${EXPECT[$t]}"; done
  printf '%s' "$out"
}

MY_REGENERATED=0
generate_mariadb() {
  my -e "CREATE DATABASE IF NOT EXISTS \`$MY_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" ||
    die "cannot reach MariaDB as $MY_USER@$MY_HOST:$MY_PORT or create database $MY_DB"
  local tag have
  tag=$(my -N -B -e "SELECT table_comment FROM information_schema.tables
                     WHERE table_schema = '$MY_DB' AND table_name = 'stock_movements'")
  if [[ $tag == "$DATA_TAG" ]]; then
    have=$(mariadb_counts || true)
    if [[ $have == "$(expected_counts)" ]]; then
      log "MariaDB $MY_DB already holds scale $SCALE ($N stock movements): not regenerating"
      return
    fi
    log "MariaDB $MY_DB has [$have], want [$(expected_counts)]: regenerating"
  fi
  stage "generating MariaDB database $MY_DB (scale $SCALE: $N stock movements)"
  MY_REGENERATED=1
  local t0
  t0=$(now_ns)
  my "$MY_DB" >/dev/null <<SQL
SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0;
DROP TABLE IF EXISTS stock_movements, minibar_items, products, product_groups, users, rooms, floors, hotels;

CREATE TABLE hotels (
  id          INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  city        VARCHAR(60)  NOT NULL,
  star_rating TINYINT      NOT NULL,
  opened_on   DATE         NOT NULL,
  is_active   TINYINT(1)   NOT NULL DEFAULT 1,
  created_at  DATETIME     NOT NULL
) ENGINE=InnoDB;

CREATE TABLE floors (
  id       INT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  hotel_id INT      NOT NULL,
  floor_no SMALLINT NOT NULL,
  UNIQUE KEY uq_floors_hotel_floor (hotel_id, floor_no),
  CONSTRAINT fk_floors_hotel FOREIGN KEY (hotel_id) REFERENCES hotels (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE rooms (
  id        INT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  floor_id  INT         NOT NULL,
  room_code VARCHAR(20) NOT NULL,
  room_type ENUM('single','double','suite') NOT NULL,
  capacity  TINYINT     NOT NULL,
  UNIQUE KEY uq_rooms_code (room_code),
  KEY ix_rooms_floor (floor_id),
  CONSTRAINT fk_rooms_floor FOREIGN KEY (floor_id) REFERENCES floors (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE users (
  id         INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
  hotel_id   INT          NOT NULL,
  username   VARCHAR(60)  NOT NULL,
  email      VARCHAR(120) NOT NULL,
  role       ENUM('staff','supervisor','manager') NOT NULL,
  is_active  TINYINT(1)   NOT NULL DEFAULT 1,
  created_at DATETIME     NOT NULL,
  UNIQUE KEY uq_users_username (username),
  KEY ix_users_hotel (hotel_id),
  CONSTRAINT fk_users_hotel FOREIGN KEY (hotel_id) REFERENCES hotels (id)
) ENGINE=InnoDB;

CREATE TABLE product_groups (
  id        INT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id INT         NULL,
  name      VARCHAR(80) NOT NULL,
  KEY ix_product_groups_parent (parent_id),
  CONSTRAINT fk_product_groups_parent FOREIGN KEY (parent_id) REFERENCES product_groups (id) ON DELETE SET NULL
) ENGINE=InnoDB;

CREATE TABLE products (
  id         INT           NOT NULL AUTO_INCREMENT PRIMARY KEY,
  group_id   INT           NOT NULL,
  sku        VARCHAR(20)   NOT NULL,
  name       VARCHAR(120)  NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  is_active  TINYINT(1)    NOT NULL DEFAULT 1,
  UNIQUE KEY uq_products_sku (sku),
  KEY ix_products_group (group_id),
  CONSTRAINT fk_products_group FOREIGN KEY (group_id) REFERENCES product_groups (id)
) ENGINE=InnoDB;

CREATE TABLE minibar_items (
  id          INT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  room_id     INT      NOT NULL,
  product_id  INT      NOT NULL,
  par_level   SMALLINT NOT NULL,
  current_qty SMALLINT NOT NULL,
  updated_at  DATETIME NOT NULL,
  UNIQUE KEY uq_minibar_items_room_product (room_id, product_id),
  KEY ix_minibar_items_product (product_id),
  CONSTRAINT fk_minibar_items_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
  CONSTRAINT fk_minibar_items_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB;

-- Secondary indexes and foreign keys are added after the rows (sorted builds).
CREATE TABLE stock_movements (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  product_id    INT           NOT NULL,
  room_id       INT           NOT NULL,
  user_id       INT           NOT NULL,
  movement_type ENUM('refill','consume','adjust','return') NOT NULL,
  quantity      INT           NOT NULL,
  unit_cost     DECIMAL(10,2) NOT NULL,
  movement_at   DATETIME      NOT NULL,
  note          VARCHAR(255)  NULL
) ENGINE=InnoDB COMMENT='$DATA_TAG';

INSERT INTO hotels
SELECT n, CONCAT('Hotel ', $(elt_my n "${HOTEL_NAMES[@]}"), ' ', n), $(elt_my n "${CITIES[@]}"),
       3 + n % 3, DATE'2000-01-01' + INTERVAL (n * 97) DAY, n % 7 <> 0,
       $(dt_my '2020-01-01 08:00:00' 'n * 3600')
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_20) s;

INSERT INTO floors
SELECT n, 1 + (n - 1) DIV 5, (n - 1) % 5
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_100) s;

INSERT INTO rooms
SELECT n, 1 + (n - 1) DIV 20,
       CONCAT('R', LPAD(1 + (n - 1) DIV 20, 3, '0'), '-', LPAD((n - 1) % 20 + 1, 2, '0')),
       $(elt_my n "${ROOM_TYPES[@]}"), 1 + n % 4
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_2000) s;

INSERT INTO users
SELECT n, 1 + (n - 1) % 20, CONCAT('user', LPAD(n, 4, '0')),
       CONCAT('user', LPAD(n, 4, '0'), '@hotel', 1 + (n - 1) % 20, '.example.com'),
       $(elt_my n "${ROLES[@]}"), n % 11 <> 0, $(dt_my '2021-01-01 00:00:00' 'n * 25200')
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_500) s;

INSERT INTO product_groups
SELECT n, IF(n <= 6, NULL, 1 + (n - 7) % 6), CONCAT('Group ', n)
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_30) s;

INSERT INTO products
SELECT n, 7 + (n - 1) % 24, CONCAT('SKU', LPAD(n, 5, '0')),
       CONCAT($(elt_my n "${PRODUCT_NAMES[@]}"), ' ', n), (100 + (n * 37) % 4900) / 100, n % 13 <> 0
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_300) s;

INSERT INTO minibar_items
SELECT n, 1 + (n - 1) DIV 10, 1 + ((n - 1) % 10) * 30 + ((n - 1) DIV 10) % 30,
       2 + n % 4, n % 5, $(dt_my '2024-01-01 00:00:00' 'n * 61')
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_20000) s;

INSERT INTO stock_movements
SELECT n, 1 + (n * 7919) % 300, 1 + (n * 104729) % 2000, 1 + (n * 31) % 500,
       $(elt_my n "${MOVEMENT_TYPES[@]}"),
       IF(n % 4 = 1, -(1 + n % 3), 1 + n % 6),
       (100 + (n * 37) % 4900) / 100,
       $(dt_my '2023-01-01 00:00:00' 'n * 23 + (n * 7919) % 600'),
       IF(n % 3 = 0, CONCAT('Oda ', 1 + (n * 104729) % 2000, ': ürün kontrol edildi #', n), NULL)
FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_$N) s;

ALTER TABLE stock_movements
  ADD KEY ix_stock_movements_product_time (product_id, movement_at),
  ADD KEY ix_stock_movements_room (room_id),
  ADD KEY ix_stock_movements_movement_at (movement_at),
  ADD KEY ix_stock_movements_user (user_id),
  ADD CONSTRAINT fk_stock_movements_product FOREIGN KEY (product_id) REFERENCES products (id),
  ADD CONSTRAINT fk_stock_movements_room FOREIGN KEY (room_id) REFERENCES rooms (id),
  ADD CONSTRAINT fk_stock_movements_user FOREIGN KEY (user_id) REFERENCES users (id);
ANALYZE TABLE hotels, floors, rooms, users, product_groups, products, minibar_items, stock_movements;
SQL
  have=$(mariadb_counts)
  [[ $have == "$(expected_counts)" ]] || die "MariaDB generated [$have], expected [$(expected_counts)]"
  log "generated MariaDB $MY_DB in $(secs_since "$t0") s"
}

sqlite_counts() {
  local q="" t
  for t in "${TABLES[@]}"; do
    q+="${q:+ UNION ALL }SELECT '$t', COUNT(*) FROM $t"
  done
  sqlite3 -separator ' ' "$1" "$q" 2>/dev/null | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }'
}

generate_sqlite() {
  if [[ -f $SQLITE_FILE && $(sqlite3 "$SQLITE_FILE" 'PRAGMA user_version' 2>/dev/null || true) == "$SQLITE_TAG" ]]; then
    local have
    have=$(sqlite_counts "$SQLITE_FILE" || true)
    if [[ $have == "$(expected_counts)" ]]; then
      log "SQLite $SQLITE_FILE already holds scale $SCALE: not regenerating"
      return
    fi
    log "SQLite file has [$have], want [$(expected_counts)]: regenerating"
  fi
  stage "generating SQLite $SQLITE_FILE (scale $SCALE)"
  local t0 tmp=$SQLITE_FILE.tmp
  t0=$(now_ns)
  rm -f "$tmp"
  sqlite3 -bail "$tmp" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -262144;
BEGIN;
CREATE TABLE hotels (
  id          INTEGER PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  city        VARCHAR(60)  NOT NULL,
  star_rating SMALLINT     NOT NULL,
  opened_on   DATE         NOT NULL,
  is_active   BOOLEAN      NOT NULL DEFAULT 1,
  created_at  DATETIME     NOT NULL
);
CREATE TABLE floors (
  id       INTEGER PRIMARY KEY,
  hotel_id INTEGER  NOT NULL REFERENCES hotels (id) ON DELETE CASCADE,
  floor_no SMALLINT NOT NULL,
  CONSTRAINT uq_floors_hotel_floor UNIQUE (hotel_id, floor_no)
);
CREATE TABLE rooms (
  id        INTEGER PRIMARY KEY,
  floor_id  INTEGER     NOT NULL REFERENCES floors (id) ON DELETE CASCADE,
  room_code VARCHAR(20) NOT NULL CONSTRAINT uq_rooms_code UNIQUE,
  room_type TEXT        NOT NULL CHECK (room_type IN ('single', 'double', 'suite')),
  capacity  SMALLINT    NOT NULL
);
CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  hotel_id   INTEGER      NOT NULL REFERENCES hotels (id),
  username   VARCHAR(60)  NOT NULL CONSTRAINT uq_users_username UNIQUE,
  email      VARCHAR(120) NOT NULL,
  role       TEXT         NOT NULL CHECK (role IN ('staff', 'supervisor', 'manager')),
  is_active  BOOLEAN      NOT NULL DEFAULT 1,
  created_at DATETIME     NOT NULL
);
CREATE TABLE product_groups (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER NULL REFERENCES product_groups (id) ON DELETE SET NULL,
  name      VARCHAR(80) NOT NULL
);
CREATE TABLE products (
  id         INTEGER PRIMARY KEY,
  group_id   INTEGER       NOT NULL REFERENCES product_groups (id),
  sku        VARCHAR(20)   NOT NULL CONSTRAINT uq_products_sku UNIQUE,
  name       VARCHAR(120)  NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  is_active  BOOLEAN       NOT NULL DEFAULT 1
);
CREATE TABLE minibar_items (
  id          INTEGER PRIMARY KEY,
  room_id     INTEGER  NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  product_id  INTEGER  NOT NULL REFERENCES products (id),
  par_level   SMALLINT NOT NULL,
  current_qty SMALLINT NOT NULL,
  updated_at  DATETIME NOT NULL,
  CONSTRAINT uq_minibar_items_room_product UNIQUE (room_id, product_id)
);
CREATE TABLE stock_movements (
  id            INTEGER PRIMARY KEY,
  product_id    INTEGER       NOT NULL REFERENCES products (id),
  room_id       INTEGER       NOT NULL REFERENCES rooms (id),
  user_id       INTEGER       NOT NULL REFERENCES users (id),
  movement_type TEXT          NOT NULL CHECK (movement_type IN ('refill', 'consume', 'adjust', 'return')),
  quantity      INTEGER       NOT NULL,
  unit_cost     DECIMAL(10,2) NOT NULL,
  movement_at   DATETIME      NOT NULL,
  note          VARCHAR(255)  NULL
);

INSERT INTO hotels
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20)
SELECT n, 'Hotel ' || $(elt_lite n "${HOTEL_NAMES[@]}") || ' ' || n, $(elt_lite n "${CITIES[@]}"),
       3 + n % 3, date('2000-01-01', '+' || (n * 97) || ' days'), n % 7 <> 0,
       $(dt_lite '2020-01-01 08:00:00' 'n * 3600')
FROM s;

INSERT INTO floors
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100)
SELECT n, 1 + (n - 1) / 5, (n - 1) % 5 FROM s;

INSERT INTO rooms
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2000)
SELECT n, 1 + (n - 1) / 20, printf('R%03d-%02d', 1 + (n - 1) / 20, (n - 1) % 20 + 1),
       $(elt_lite n "${ROOM_TYPES[@]}"), 1 + n % 4
FROM s;

INSERT INTO users
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500)
SELECT n, 1 + (n - 1) % 20, printf('user%04d', n),
       printf('user%04d', n) || '@hotel' || (1 + (n - 1) % 20) || '.example.com',
       $(elt_lite n "${ROLES[@]}"), n % 11 <> 0, $(dt_lite '2021-01-01 00:00:00' 'n * 25200')
FROM s;

INSERT INTO product_groups
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 30)
SELECT n, CASE WHEN n <= 6 THEN NULL ELSE 1 + (n - 7) % 6 END, 'Group ' || n FROM s;

INSERT INTO products
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300)
SELECT n, 7 + (n - 1) % 24, printf('SKU%05d', n),
       $(elt_lite n "${PRODUCT_NAMES[@]}") || ' ' || n, (100 + (n * 37) % 4900) / 100.0, n % 13 <> 0
FROM s;

INSERT INTO minibar_items
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20000)
SELECT n, 1 + (n - 1) / 10, 1 + ((n - 1) % 10) * 30 + ((n - 1) / 10) % 30,
       2 + n % 4, n % 5, $(dt_lite '2024-01-01 00:00:00' 'n * 61')
FROM s;

INSERT INTO stock_movements
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $N)
SELECT n, 1 + (n * 7919) % 300, 1 + (n * 104729) % 2000, 1 + (n * 31) % 500,
       $(elt_lite n "${MOVEMENT_TYPES[@]}"),
       CASE WHEN n % 4 = 1 THEN -(1 + n % 3) ELSE 1 + n % 6 END,
       (100 + (n * 37) % 4900) / 100.0,
       $(dt_lite '2023-01-01 00:00:00' 'n * 23 + (n * 7919) % 600'),
       CASE WHEN n % 3 = 0 THEN 'Oda ' || (1 + (n * 104729) % 2000) || ': ürün kontrol edildi #' || n END
FROM s;

CREATE INDEX ix_rooms_floor ON rooms (floor_id);
CREATE INDEX ix_users_hotel ON users (hotel_id);
CREATE INDEX ix_product_groups_parent ON product_groups (parent_id);
CREATE INDEX ix_products_group ON products (group_id);
CREATE INDEX ix_minibar_items_product ON minibar_items (product_id);
CREATE INDEX ix_stock_movements_product_time ON stock_movements (product_id, movement_at);
CREATE INDEX ix_stock_movements_room ON stock_movements (room_id);
CREATE INDEX ix_stock_movements_movement_at ON stock_movements (movement_at);
CREATE INDEX ix_stock_movements_user ON stock_movements (user_id);
COMMIT;
ANALYZE;
PRAGMA journal_mode = DELETE;
PRAGMA user_version = $SQLITE_TAG;
SQL
  local have
  have=$(sqlite_counts "$tmp")
  [[ $have == "$(expected_counts)" ]] || die "SQLite generated [$have], expected [$(expected_counts)]"
  [[ -z $(sqlite3 "$tmp" 'PRAGMA foreign_key_check') ]] || die "SQLite data has orphan rows"
  chmod 644 "$tmp"
  mv -f "$tmp" "$SQLITE_FILE"
  log "generated SQLite ($(du -m "$SQLITE_FILE" | cut -f1) MB) in $(secs_since "$t0") s"
}

# The rows of stock_movements, as MariaDB holds them, in PostgreSQL's COPY text
# format (tab-separated, \N for NULL; the generated data has no tab, newline or
# backslash). Not timed.
export_tsv() {
  if [[ $MY_REGENERATED == 0 && -f $TSV_FILE && $(wc -l <"$TSV_FILE") == "$N" ]]; then
    log "$TSV_FILE already holds the $N rows: not exporting again"
    return
  fi
  stage "exporting stock_movements from MariaDB to $TSV_FILE (for COPY; not timed)"
  local t0
  t0=$(now_ns)
  my --quick -N -B -r "$MY_DB" -e "SELECT id, product_id, room_id, user_id, movement_type, quantity,
      unit_cost, DATE_FORMAT(movement_at, '%Y-%m-%d %H:%i:%s'), IFNULL(note, '\\\\N')
      FROM stock_movements ORDER BY id" >"$TSV_FILE.tmp"
  [[ $(wc -l <"$TSV_FILE.tmp") == "$N" ]] || die "exported $(wc -l <"$TSV_FILE.tmp") rows, expected $N"
  chmod 644 "$TSV_FILE.tmp"
  mv -f "$TSV_FILE.tmp" "$TSV_FILE"
  log "exported $N rows ($(du -m "$TSV_FILE" | cut -f1) MB) in $(secs_since "$t0") s"
}

# ------------------------------------------------------- 3. PostgreSQL side
declare -A UNAVAILABLE=()
USER_OPTS="username '$MY_USER', password '${MY_PASSWORD//\'/\'\'}'"

setup_pg() {
  stage "PostgreSQL: dropping and re-creating databases $PG_DB and $PGL_DB"
  pg -d postgres -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $PGL_DB WITH (FORCE)" \
    -c "CREATE DATABASE $PG_DB" ||
    die "cannot (re)create PostgreSQL database $PG_DB (run as root with a superuser role)"
  pg -d "$PG_DB" <<SQL || die "cannot set up minibar_migrate in $PG_DB"
SET client_min_messages = warning;
CREATE EXTENSION minibar_migrate;
CREATE SERVER mb_my FOREIGN DATA WRAPPER minibar_mysql
  OPTIONS (host '$MY_HOST', port '$MY_PORT', dbname '$MY_DB');
CREATE USER MAPPING FOR CURRENT_USER SERVER mb_my OPTIONS ($USER_OPTS);
CREATE SERVER mb_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '$SQLITE_FILE');
SQL
  local out
  if ! out=$(pg -d "$PG_DB" 2>&1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION mysql_fdw;
CREATE SERVER fdw_my FOREIGN DATA WRAPPER mysql_fdw OPTIONS (host '$MY_HOST', port '$MY_PORT');
CREATE USER MAPPING FOR CURRENT_USER SERVER fdw_my OPTIONS ($USER_OPTS);
CREATE SCHEMA fdw_probe;
IMPORT FOREIGN SCHEMA $MY_DB FROM SERVER fdw_my INTO fdw_probe OPTIONS (import_enum_as_text 'true');
SQL
  ); then
    UNAVAILABLE[mysql_fdw]="setup failed: $(tr '\n' ' ' <<<"$out")"
    log "mysql_fdw: ${UNAVAILABLE[mysql_fdw]}"
  fi
  find_server_pids
  log "PostgreSQL settings: $(pg -d "$PG_DB" -At -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
     FROM pg_settings WHERE name IN ('shared_buffers', 'maintenance_work_mem', 'max_parallel_maintenance_workers',
       'max_wal_size', 'max_worker_processes', 'synchronous_commit', 'wal_level', 'work_mem')")"
}

# The DDL minibar_migrate created in schema bench_ref, as SQL for another
# schema: section pre (enum types, tables, checks), keys (primary key, unique
# constraints, indexes), fks, seq (identity sequences past max), analyze.
# Optional second argument: only that table.
ref_sql() {
  local section=$1 only=${2:-} target=$3
  pg -d "$PG_DB" -At -v only="$only" -v section="$section" <<'SQL' | sed "s/\bbench_ref\./$target./g"
SET search_path = pg_catalog;
CREATE TEMP VIEW tabs AS
  SELECT c.oid, c.relname FROM pg_class c
   WHERE c.relnamespace = 'bench_ref'::regnamespace AND c.relkind = 'r'
     AND (:'only' = '' OR c.relname = :'only');
SELECT format('CREATE TYPE %s AS ENUM (%s);', t.oid::regtype,
         (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
            FROM pg_enum e WHERE e.enumtypid = t.oid))
  FROM pg_type t
 WHERE :'section' = 'pre' AND t.typtype = 'e' AND t.typnamespace = 'bench_ref'::regnamespace
   AND EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_temp.tabs ON a.attrelid = tabs.oid
                WHERE a.atttypid = t.oid)
 ORDER BY t.typname;
SELECT format(E'CREATE TABLE %s (\n  %s\n);', c.oid::regclass,
         string_agg(format('%I %s%s%s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation
                THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
           CASE a.attidentity WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY'
                              WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' ELSE '' END,
           CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
           COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')), E',\n  ' ORDER BY a.attnum))
  FROM pg_temp.tabs c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type ty ON ty.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE :'section' = 'pre'
 GROUP BY c.oid, c.relname ORDER BY c.relname;
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s;', k.conrelid::regclass, k.conname,
              pg_get_constraintdef(k.oid))
  FROM pg_constraint k JOIN pg_temp.tabs c ON c.oid = k.conrelid
 WHERE (:'section' = 'pre' AND k.contype = 'c')
    OR (:'section' = 'keys' AND k.contype IN ('p', 'u'))
    OR (:'section' = 'fks' AND k.contype = 'f')
 ORDER BY c.relname, k.contype, k.conname;
SELECT pg_get_indexdef(i.indexrelid) || ';'
  FROM pg_index i JOIN pg_temp.tabs c ON c.oid = i.indrelid
 WHERE :'section' = 'keys'
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                      AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
 ORDER BY c.relname, i.indexrelid;
SELECT format('SELECT setval(pg_get_serial_sequence(%L, %L), max(%I)) FROM %s;',
              c.oid::regclass, a.attname, a.attname, c.oid::regclass)
  FROM pg_temp.tabs c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attidentity <> ''
 WHERE :'section' = 'seq'
 ORDER BY c.relname;
SELECT format('ANALYZE %s;', c.oid::regclass) FROM pg_temp.tabs c
 WHERE :'section' = 'analyze' ORDER BY c.relname;
SQL
}

# INSERT INTO <target>.t SELECT <columns cast to the target types> FROM fdw_src.t,
# one per table; the casts are built against the probe import (fdw_probe).
fdw_inserts() {
  pg -d "$PG_DB" -At <<'SQL' | sed "s/\bbench_ref\./$1./g"
SET search_path = pg_catalog;
SELECT format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM fdw_src.%I;', c.oid::regclass,
         string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
         string_agg(CASE
           WHEN fa.atttypid = a.atttypid THEN quote_ident(a.attname)
           WHEN a.atttypid = 'boolean'::regtype THEN format('(%I <> 0)', a.attname)
           ELSE format('%I::%s', a.attname, format_type(a.atttypid, a.atttypmod)) END,
           ', ' ORDER BY a.attnum), c.relname)
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attribute fa ON fa.attrelid = to_regclass('fdw_probe.' || quote_ident(c.relname))
                           AND fa.attname = a.attname AND NOT fa.attisdropped
 WHERE c.relnamespace = 'bench_ref'::regnamespace AND c.relkind = 'r'
 GROUP BY c.oid, c.relname ORDER BY c.relname;
SQL
}

HWM_SQL="SELECT 'hwm_kb=' || (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\\s+(\\d+)'))[1];"

# One untimed minibar migration into bench_ref: warms MariaDB and the page
# cache up for everyone, and its DDL is the DDL mysql_fdw and COPY use.
prepare_reference() {
  stage "warm-up: untimed minibar_migrate.migrate_database('mb_my', 'bench_ref'); its DDL is reused by mysql_fdw and COPY"
  local t0 out
  t0=$(now_ns)
  if ! out=$(PGOPTIONS="-c statement_timeout=${TIMEOUT}s" pg -d "$PG_DB" -At \
    -c "SELECT count(*) FROM minibar_migrate.migrate_database('mb_my', 'bench_ref')" 2>&1); then
    local why
    why="needs minibar's DDL, and the reference migration failed: $(tr '\n' ' ' <<<"$out" | cut -c 1-600)"
    log "$why"
    for e in mysql_fdw copy_limit restore_limit; do UNAVAILABLE[$e]=${UNAVAILABLE[$e]:-$why}; done
    return
  fi
  log "reference migration took $(secs_since "$t0") s"
  cat "$SQLITE_FILE" >/dev/null # SQLite file into the page cache

  # mysql_fdw: import, DDL, INSERT ... SELECT per table, keys, foreign keys,
  # sequences, ANALYZE — one transaction, like migrate_database.
  {
    echo "SET client_min_messages = warning;"
    echo "BEGIN;"
    echo "CREATE SCHEMA fdw_src;"
    echo "IMPORT FOREIGN SCHEMA $MY_DB FROM SERVER fdw_my INTO fdw_src OPTIONS (import_enum_as_text 'true');"
    echo "CREATE SCHEMA fdw_mysql;"
    ref_sql pre "" fdw_mysql
    fdw_inserts fdw_mysql
    ref_sql keys "" fdw_mysql
    ref_sql fks "" fdw_mysql
    ref_sql seq "" fdw_mysql
    ref_sql analyze "" fdw_mysql
    echo "COMMIT;"
    echo "$HWM_SQL"
  } >"$LOG_DIR/mysql_fdw.sql"

  # COPY floor: the same table, COPY from the exported file, then the same
  # primary key and indexes (what migrate_table builds), one transaction.
  {
    echo "SET client_min_messages = warning;"
    echo "BEGIN;"
    ref_sql pre stock_movements copy_sm
    echo "COPY copy_sm.stock_movements (id, product_id, room_id, user_id, movement_type, quantity, unit_cost, movement_at, note) FROM '$TSV_FILE';"
    ref_sql keys stock_movements copy_sm
    echo "COMMIT;"
    echo "$HWM_SQL"
  } >"$LOG_DIR/copy_limit.sql"

  log "generated SQL in $LOG_DIR (mysql_fdw.sql, copy_limit.sql, minibar_*.w*.sql)"

  # pg_restore floor: the reference migration's schema dumped (directory
  # format, uncompressed, so the restore does not pay for decompression).
  if [[ " $ENGINES " == *" restore_limit "* ]]; then
    rm -rf "$DUMP_DIR"
    if ! out=$(pg_dump -d "$PG_DB" -n bench_ref -Fd -Z0 -j "$RESTORE_JOBS" -f "$DUMP_DIR" 2>&1); then
      UNAVAILABLE[restore_limit]="pg_dump of the reference migration failed: $(tr '\n' ' ' <<<"$out" | cut -c 1-600)"
    else
      log "dumped schema bench_ref for pg_restore: $(du -sm "$DUMP_DIR" | cut -f1) MB in $DUMP_DIR"
    fi
  fi
}

# The call every minibar job times: {"workers": N}, or no options for "default".
write_minibar_sql() {
  local job w opts call
  for job in "${JOBS[@]}"; do
    [[ $job == minibar_* ]] || continue
    w=$(workers_of "$job")
    opts=""
    [[ $w == default ]] || opts=", '{\"workers\": $w}'"
    case $(engine_of "$job") in
    minibar_mysql) call="SELECT kind, source_name, rows_copied, rows_rejected, round(seconds::numeric, 3), round(rows_per_second::numeric) FROM minibar_migrate.migrate_database('mb_my', 'mb_mysql'$opts);" ;;
    minibar_sqlite) call="SELECT kind, source_name, rows_copied, rows_rejected, round(seconds::numeric, 3), round(rows_per_second::numeric) FROM minibar_migrate.migrate_database('mb_lite', 'mb_sqlite'$opts);" ;;
    minibar_table) call="SELECT target, rows_copied, rows_rejected, round(seconds::numeric, 3) FROM minibar_migrate.migrate_table('mb_my', 'stock_movements', 'mb_sm.stock_movements'$opts);" ;;
    esac
    printf '%s\n' "$call" "$HWM_SQL" >"$LOG_DIR/$job.sql"
  done
}

# ------------------------------------------------------------ 4. measuring
# Every measurement prints "seconds backend_peak_kb client_peak_kb caller_kb
# client_cpu_s" (- when not known); on failure the error text, with status 1.
# Wall time is that of the whole client process (psql or pgloader), connection
# included. backend_peak_kb is the largest PostgreSQL process that did the
# work; caller_kb is only given for minibar runs in background workers (the
# calling backend, which then only waits); client_cpu_s is the client's user +
# system CPU seconds (/usr/bin/time).

psql_measure() { # db sqlfile out
  local db=$1 file=$2 out=$3 t0 t1 hwm cpu
  t0=$(now_ns)
  if ! PGOPTIONS="-c statement_timeout=${TIMEOUT}s -c TimeZone=UTC -c client_min_messages=warning" /usr/bin/time -f '%U %S' -o "$out.cpu" \
    timeout $((TIMEOUT + 60)) psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -f "$file" >"$out" 2>&1; then
    if grep -qE 'ERROR|FATAL|error' "$out"; then grep -E 'ERROR|FATAL|error' "$out" | sed -n 1,5p; else tail -n 5 "$out"; fi
    return 1
  fi
  t1=$(now_ns)
  hwm=$(sed -n 's/^hwm_kb=//p' "$out")
  [[ -n $hwm ]] || hwm=-
  cpu=$(tail -n1 "$out.cpu" | awk 'NF == 2 { printf "%.2f", $1 + $2 }')
  printf '%s %s - - %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" "$hwm" "${cpu:--}"
}

# Peak VmHWM of every backend connected to database $1, polled every 0.2 s
# (pgloader opens several connections; they are gone when it ends).
poll_backends() { # db outfile
  local db=$1 out=$2 pid v
  while :; do
    for pid in $(pgrep -f "^postgres: [^ ]+: [^ ]+ $db " || true); do
      v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      if [[ -n $v ]]; then echo "$pid $v"; fi
    done >>"$out"
    sleep 0.2
  done
}

# VmHWM, RssAnon and RssShmem of every minibar_migrate background worker of
# database $1 (a line "pid vmhwm_kb rssanon_kb rssshmem_kb" per poll), polled
# every 0.1 s. The process title does not name the database, so each new
# worker pid is looked up once in pg_stat_activity (workers of other
# databases — a test suite running beside the benchmark — are left out).
poll_workers() { # db outfile
  local db=$1 out=$2 pid d k v rest hwm anon shmem
  local -A ours=() # pid -> 1 (this database) or 0 (another one)
  while :; do
    local new=()
    for pid in $(pgrep -f '^postgres: .*minibar_migrate worker' || true); do
      [[ -n ${ours[$pid]:-} ]] || new+=("$pid")
    done
    if ((${#new[@]})); then
      # Not in pg_stat_activity yet (or no database yet): asked again next time.
      while IFS='|' read -r pid d; do
        if [[ $d == "$db" ]]; then ours[$pid]=1; elif [[ -n $d ]]; then ours[$pid]=0; fi
      done < <(psql -X -At -d postgres -c "SELECT pid, coalesce(datname, '') FROM pg_stat_activity
                 WHERE backend_type = 'minibar_migrate worker' AND pid IN ($(IFS=,; echo "${new[*]}"))" 2>/dev/null || true)
    fi
    for pid in "${!ours[@]}"; do
      [[ ${ours[$pid]} == 1 ]] || continue
      hwm="" anon="" shmem=""
      { while read -r k v rest; do
        case $k in
        VmHWM:) hwm=$v ;;
        RssAnon:) anon=$v ;;
        RssShmem:) shmem=$v ;;
        esac
      done </proc/"$pid"/status; } 2>/dev/null || true
      if [[ -n $hwm ]]; then echo "$pid $hwm ${anon:-0} ${shmem:-0}"; fi
    done >>"$out"
    sleep 0.1
  done
}

# A minibar run in background workers: the psql measurement, with the
# workers' VmHWM polled meanwhile. Backend peak: the largest worker or the
# calling backend, whichever is larger; the caller's own peak is the 4th field.
minibar_workers_measure() { # job run
  local job=$1 run=$2 wfile=$LOG_DIR/$1.$2.workers res rc=0 secs hwm rss cpu wmax peak
  : >"$wfile"
  poll_workers "$PG_DB" "$wfile" >/dev/null &
  POLLER=$!
  res=$(psql_measure "$PG_DB" "$LOG_DIR/$job.sql" "$LOG_DIR/$job.$run.out") || rc=$?
  kill "$POLLER" 2>/dev/null || true
  wait "$POLLER" 2>/dev/null || true
  POLLER=""
  if ((rc != 0)); then
    printf '%s\n' "$res"
    return 1
  fi
  read -r secs hwm rss _ cpu <<<"$res"
  wmax=$(awk '$2 > m { m = $2 } END { print (m ? m : "-") }' "$wfile")
  log "$job: $(cut -d' ' -f1 "$wfile" | sort -u | wc -l) worker process(es) seen, peak VmHWM (RssAnon, RssShmem) per pid: $(awk '
    $2 > m[$1] { m[$1] = $2 } $3 > a[$1] { a[$1] = $3 } $4 > s[$1] { s[$1] = $4 }
    END { for (p in m) printf "%s%s %.1f (%.1f, %.1f) MB", (n++ ? ", " : ""), p, m[p] / 1024, a[p] / 1024, s[p] / 1024
          if (!n) printf "none" }' "$wfile"); caller VmHWM $(awk -v k="$hwm" 'BEGIN { if (k == "-") print "?"; else printf "%.1f MB", k / 1024 }')"
  peak=$(awk -v a="$wmax" -v b="$hwm" 'BEGIN {
    if (a == "-") print b; else if (b == "-") print a; else print (a + 0 > b + 0 ? a : b) }')
  printf '%s %s %s %s %s\n' "$secs" "$peak" "$rss" "$hwm" "$cpu"
}

# Runs a command (output to outfile) while the backends of database db are
# polled (poll_backends into pfile); returns its status and sets POLLED_SECS
# (wall seconds) and POLLED_PEAK_KB (the largest VmHWM seen, or -).
POLLED_SECS="" POLLED_PEAK_KB=""
polled_run() { # db pfile outfile command...
  local db=$1 pfile=$2 out=$3 t0 rc=0
  shift 3
  : >"$pfile"
  poll_backends "$db" "$pfile" &
  POLLER=$!
  t0=$(now_ns)
  "$@" >"$out" 2>&1 || rc=$?
  POLLED_SECS=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  kill "$POLLER" 2>/dev/null || true
  wait "$POLLER" 2>/dev/null || true
  POLLER=""
  POLLED_PEAK_KB=$(awk '$2 > m { m = $2 } END { print (m ? m : "-") }' "$pfile")
  return "$rc"
}

# pg_restore -j of the dump into a fresh database, then ANALYZE (as
# migrate_database does): PostgreSQL's own restore of the same tables, keys,
# indexes and foreign keys from local files.
restore_measure() { # run
  local run=$1 out=$LOG_DIR/restore_limit.$1.out rc=0 cpu
  # shellcheck disable=SC2016 # $1.. expand in the inner shell
  PGOPTIONS="-c statement_timeout=${TIMEOUT}s" polled_run "$RST_DB" "$LOG_DIR/restore_limit.$run.backends" "$out" \
    timeout $((TIMEOUT + 60)) /usr/bin/time -f '%U %S' -o "$out.cpu" \
    bash -c 'pg_restore -d "$1" -j "$2" --exit-on-error "$3" && psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c ANALYZE' \
    restore "$RST_DB" "$RESTORE_JOBS" "$DUMP_DIR" || rc=$?
  if ((rc != 0)); then
    echo "pg_restore exited with status $rc: $(sed -n 1,3p "$out" | tr '\n' ' ')"
    return 1
  fi
  cpu=$(tail -n1 "$out.cpu" | awk 'NF == 2 { printf "%.2f", $1 + $2 }')
  printf '%s %s - - %s\n' "$POLLED_SECS" "$POLLED_PEAK_KB" "${cpu:--}"
}

# The largest VmHWM, RssAnon and RssShmem any worker showed in a workers file
# (each the maximum on its own), in kB: "hwm anon shmem", or "- - -".
worker_peaks() { # workers file
  awk '$2 > h { h = $2 } $3 > a { a = $3 } $4 > s { s = $4 }
    END { if (NR) print h, a + 0, s + 0; else print "- - -" }' "$1"
}

pgloader_measure() { # run
  local run=$1 out=$LOG_DIR/pgloader.$1.out tfile=$LOG_DIR/pgloader.$1.time
  local pfile=$LOG_DIR/pgloader.$1.backends rc=0 rss cpu
  polled_run "$PGL_DB" "$pfile" "$out" timeout $((TIMEOUT + 60)) /usr/bin/time -v -o "$tfile" \
    runuser -u postgres -- pgloader --root-dir "$LOG_DIR/pgloader" \
    "mysql://$MY_USER:$MY_PASSWORD@$MY_HOST:$MY_PORT/$MY_DB" \
    "postgresql:///$PGL_DB" || rc=$?
  if ((rc != 0)); then
    echo "pgloader exited with status $rc: $(grep -E 'FATAL|ERROR' "$out" | sed -n 1,3p | tr '\n' ' ')"
    return 1
  fi
  log "pgloader: $(cut -d' ' -f1 "$pfile" | sort -u | wc -l) backends seen; log $out"
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tfile")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2; n++ } END { if (n) printf "%.2f", s }' "$tfile")
  printf '%s %s %s - %s\n' "$POLLED_SECS" "$POLLED_PEAK_KB" "${rss:--}" "${cpu:--}"
}

# Row counts, index and foreign key counts of a schema. Prints
# "tables rows indexes fks" and, for every table whose count is not the
# expected one, a second line naming them.
verify() { # db schema expected-tables...
  local db=$1 schema=$2
  shift 2
  local counts bad="" t have tables=0 rows=0 idx fks
  counts=$(pg -d "$db" -At -F ' ' -v schema="$schema" <<'SQL'
SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass),
        false, true, '')))[1]::text
  FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'schema')
   AND c.relkind IN ('r', 'p') ORDER BY 1;
SQL
  ) || return 1
  for t in "$@"; do
    have=$(awk -v t="$t" '$1 == t { print $2 }' <<<"$counts")
    if [[ $have != "${EXPECT[$t]}" ]]; then bad+="$t=${have:-missing}(want ${EXPECT[$t]}) "; fi
  done
  tables=$(grep -c . <<<"$counts" || true)
  rows=$(awk '{ s += $2 } END { print s + 0 }' <<<"$counts")
  read -r idx fks < <(pg -d "$db" -At -F ' ' -v schema="$schema" <<'SQL'
SELECT (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'schema') AND i.indisvalid),
       (SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'schema') AND k.contype = 'f');
SQL
  )
  printf '%s %s %s %s\n' "$tables" "$rows" "$idx" "$fks"
  if [[ -n $bad ]]; then printf 'row counts differ: %s\n' "$bad"; fi
}

# A fingerprint of stock_movements (sums over every column), to check that
# every engine copied the same values, not just the same number of rows.
FP_COLS="count(*), sum(id), sum(product_id), sum(room_id), sum(user_id), sum(quantity), sum(unit_cost), count(note)"
mariadb_fingerprint() {
  my -N -B "$MY_DB" -e "SET time_zone = '+00:00';
    SELECT $FP_COLS, SUM(CHAR_LENGTH(note)), SUM(UNIX_TIMESTAMP(movement_at)), SUM(movement_type = 'consume')
    FROM stock_movements" | tr '\t' ' '
}
pg_fingerprint() { # db schema
  pg -d "$1" -At -F ' ' -c "SELECT $FP_COLS, sum(length(note)), sum(extract(epoch FROM movement_at))::bigint,
    count(*) FILTER (WHERE movement_type::text = 'consume') FROM $2.stock_movements"
}

# Target (database schema) of every engine, and the tables it must hold.
declare -A TDB=([minibar_mysql]=$PG_DB [minibar_sqlite]=$PG_DB [pgloader]=$PGL_DB
  [mysql_fdw]=$PG_DB [restore_limit]=$RST_DB [copy_limit]=$PG_DB [minibar_table]=$PG_DB)
declare -A TSCHEMA=([minibar_mysql]=mb_mysql [minibar_sqlite]=mb_sqlite [pgloader]=$MY_DB
  [mysql_fdw]=fdw_mysql [restore_limit]=bench_ref [copy_limit]=copy_sm [minibar_table]=mb_sm)
declare -A ENGINE_LABEL=(
  [minibar_mysql]='minibar migrate_database <- MariaDB'
  [minibar_sqlite]='minibar migrate_database <- SQLite'
  [pgloader]='pgloader <- MariaDB'
  [mysql_fdw]='mysql_fdw INSERT..SELECT <- MariaDB'
  [restore_limit]="pg_restore -j $RESTORE_JOBS + ANALYZE (floor)"
  [copy_limit]='COPY file + PK/indexes (floor)'
  [minibar_table]='minibar migrate_table <- MariaDB')
declare -A JOB_ROWS=([minibar_mysql]=$TOTAL_ROWS [minibar_sqlite]=$TOTAL_ROWS [pgloader]=$TOTAL_ROWS
  [mysql_fdw]=$TOTAL_ROWS [restore_limit]=$TOTAL_ROWS [copy_limit]=$N [minibar_table]=$N)
whole_db() { [[ $1 != copy_limit && $1 != minibar_table ]]; }
declare -A LABEL=()
for job in "${JOBS[@]}"; do
  LABEL[$job]=${ENGINE_LABEL[$(engine_of "$job")]}
  if [[ -n $(workers_of "$job") ]]; then LABEL[$job]+=", workers $(workers_of "$job")"; fi
done

# Drops what an engine made last time (untimed), then CHECKPOINT so that no
# engine pays for the previous one's dirty buffers.
prepare_engine() {
  local e=$1
  case $e in
  pgloader)
    pg -d postgres -c "DROP DATABASE IF EXISTS $PGL_DB WITH (FORCE)" -c "CREATE DATABASE $PGL_DB" ;;
  restore_limit)
    pg -d postgres -c "DROP DATABASE IF EXISTS $RST_DB WITH (FORCE)" -c "CREATE DATABASE $RST_DB" ;;
  mysql_fdw)
    pg -d "$PG_DB" -c "SET client_min_messages = warning" \
      -c "DROP SCHEMA IF EXISTS fdw_mysql CASCADE" -c "DROP SCHEMA IF EXISTS fdw_src CASCADE" ;;
  minibar_table | copy_limit)
    pg -d "$PG_DB" -c "SET client_min_messages = warning" \
      -c "DROP SCHEMA IF EXISTS ${TSCHEMA[$e]} CASCADE" -c "CREATE SCHEMA ${TSCHEMA[$e]}" ;;
  *)
    pg -d "$PG_DB" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS ${TSCHEMA[$e]} CASCADE" ;;
  esac
  pg -d postgres -c CHECKPOINT
}

measure() { # job run
  local job=$1 run=$2
  case $job in
  pgloader) pgloader_measure "$run" ;;
  restore_limit) restore_measure "$run" ;;
  minibar_*)
    if in_workers "$job"; then
      minibar_workers_measure "$job" "$run"
    else
      psql_measure "$PG_DB" "$LOG_DIR/$job.sql" "$LOG_DIR/$job.$run.out"
    fi
    ;;
  *) psql_measure "$PG_DB" "$LOG_DIR/$job.sql" "$LOG_DIR/$job.$run.out" ;;
  esac
}

last_run_id() { pg -d "$PG_DB" -At -c "SELECT coalesce(max(run_id), 0) FROM minibar_migrate.runs"; }

# Where the time of a minibar run went, from minibar_migrate.runs/run_tasks:
# the run's wall time (started_at -> finished_at), planning (until the first
# step started), then per kind of step, in phase order: the seconds of its
# steps summed (work: with workers, several run at once), their number, and
# "in" the window from the first one's start to the last one's end (elapsed;
# the windows of different kinds can overlap a little: one table's indexes
# while another is still being copied).
phase_line() { # run_id newer than this
  pg -d "$PG_DB" -At -v after="$1" <<'SQL'
WITH r AS (
  SELECT * FROM minibar_migrate.runs WHERE run_id > :after ORDER BY run_id LIMIT 1
), k AS (
  SELECT t.kind, min(t.phase) AS phase, min(t.task_no) AS first, count(*) AS n, count(*) FILTER (WHERE t.state = 'done') AS done,
         coalesce(sum(t.seconds), 0) AS secs,
         extract(epoch FROM max(t.finished_at) - min(t.started_at)) AS span
    FROM minibar_migrate.run_tasks t JOIN r USING (run_id) GROUP BY t.kind
), tot AS (
  SELECT coalesce(sum(t.seconds), 0) AS secs, count(DISTINCT t.worker_pid) AS pids,
         extract(epoch FROM min(t.started_at) - (SELECT started_at FROM r)) AS plan
    FROM minibar_migrate.run_tasks t JOIN r USING (run_id)
), w AS (
  SELECT extract(epoch FROM r.finished_at - r.started_at) AS wall FROM r
)
SELECT format('run %s (%s, %s): wall %s s, plan %s s; %s; steps %s s%s',
         r.run_id, CASE WHEN r.workers = 0 THEN 'workers 0: in the calling backend'
                        ELSE format('workers %s, %s process(es) did steps', r.workers, tot.pids) END,
         r.status, coalesce(round(w.wall::numeric, 3)::text, '?'),
         coalesce(round(tot.plan::numeric, 3)::text, '?'),
         coalesce((SELECT string_agg(format('%s %s s (%s%s%s)', k.kind, round(k.secs::numeric, 3), k.n,
                                            CASE WHEN k.done < k.n THEN format(', %s done', k.done) ELSE '' END,
                                            CASE WHEN k.span IS NOT NULL
                                                 THEN format(', in %s s', round(k.span::numeric, 3)) ELSE '' END),
                                     ', ' ORDER BY k.phase, k.first) FROM k), 'no steps'),
         round(tot.secs::numeric, 3),
         CASE WHEN w.wall > 0 AND r.workers > 0
              THEN format(' = %s%% of %s x wall', round(100 * tot.secs / (r.workers * w.wall)), r.workers)
              WHEN w.wall > 0 THEN format(', outside steps %s s', round((w.wall - tot.secs)::numeric, 3))
              ELSE '' END)
  FROM r, tot, w;
SQL
}

declare -A TIMES=() BRSS=() CRSS=() KRSS=() ERRS=() SHAPE=()
# Per run: CPU seconds (PostgreSQL, MariaDB, client), cores busy, and for runs
# in background workers the workers' peak VmHWM, RssAnon, RssShmem (kB).
declare -A CPUPG=() CPUMY=() CPUCL=() CORES=() WHWM=() WANON=() WSHM=()
FAILED=0

run_all() {
  local run job e res secs hwm rss caller ccpu c0 c1 cpg cmy wh wa ws v before phases
  SOURCE_FP=$(mariadb_fingerprint)
  log "MariaDB stock_movements fingerprint (count, sums of id, product_id, room_id, user_id, quantity, unit_cost, notes, note chars, epoch, consumes): $SOURCE_FP"
  for ((run = 1; run <= RUNS; run++)); do
    for job in "${JOBS[@]}"; do
      e=$(engine_of "$job")
      [[ -z ${UNAVAILABLE[$e]:-} ]] || continue
      stage "run $run/$RUNS: ${LABEL[$job]}"
      if ! prepare_engine "$e" >&2; then
        ERRS[$job]="could not drop/create its target"
        FAILED=1
        continue
      fi
      before=""
      if [[ $e == minibar_* ]]; then before=$(last_run_id 2>/dev/null || true); fi
      c0=$(cpu_ticks)
      if res=$(measure "$job" "$run"); then
        c1=$(cpu_ticks)
        read -r secs hwm rss caller ccpu <<<"$res"
        read -r cpg cmy <<<"$(cpu_secs "$c0" "$c1")"
        TIMES[$job]+="$secs "
        BRSS[$job]+="$hwm "
        CRSS[$job]+="$rss "
        KRSS[$job]+="${caller:--} "
        CPUPG[$job]+="$cpg "
        CPUMY[$job]+="$cmy "
        CPUCL[$job]+="${ccpu:--} "
        CORES[$job]+="$(cores_busy "$secs" "$cpg" "$cmy" "${ccpu:--}") "
        wh=- wa=- ws=-
        if in_workers "$job"; then read -r wh wa ws <<<"$(worker_peaks "$LOG_DIR/$job.$run.workers")"; fi
        WHWM[$job]+="$wh "
        WANON[$job]+="$wa "
        WSHM[$job]+="$ws "
        local tables=("${TABLES[@]}")
        whole_db "$e" || tables=(stock_movements)
        if ! v=$(verify "${TDB[$e]}" "${TSCHEMA[$e]}" "${tables[@]}" 2>&1); then
          ERRS[$job]="verification failed: $(tr '\n' ' ' <<<"$v")"
          FAILED=1
        else
          SHAPE[$job]=$(head -n1 <<<"$v")
          if [[ $(wc -l <<<"$v") -gt 1 ]]; then
            ERRS[$job]=$(tail -n1 <<<"$v")
            FAILED=1
          fi
          local fp
          fp=$(pg_fingerprint "${TDB[$e]}" "${TSCHEMA[$e]}" 2>&1 || true)
          if [[ $fp != "$SOURCE_FP" ]]; then
            ERRS[$job]="${ERRS[$job]:-}stock_movements values differ from MariaDB's: fingerprint [$fp], MariaDB [$SOURCE_FP] "
            FAILED=1
          fi
          if whole_db "$e" && [[ $(cut -d' ' -f4 <<<"${SHAPE[$job]}") != "$EXPECT_FKS" ]]; then
            ERRS[$job]="${ERRS[$job]:-}foreign keys: $(cut -d' ' -f4 <<<"${SHAPE[$job]}"), expected $EXPECT_FKS "
            FAILED=1
          fi
        fi
        log "$job: ${secs}s backend_peak_kb=$hwm client_peak_kb=$rss caller_kb=${caller:--} tables/rows/indexes/fks=${SHAPE[$job]:-?}"
        log "$job: cpu_s pg=$cpg mysqld=$cmy client=${ccpu:--} cores_busy=$(cores_busy "$secs" "$cpg" "$cmy" "${ccpu:--}") worker_peak_kb hwm=$wh anon=$wa shmem=$ws"
        if [[ $e == minibar_* && -f $LOG_DIR/$job.$run.out ]]; then
          grep -E '\|stock_movements\||mb_sm' "$LOG_DIR/$job.$run.out" | sed 's/^/#   minibar says: /' >&2 || true
        fi
        if ((run == 1)); then
          log "$job stock_movements columns: $(pg -d "${TDB[$e]}" -At -c "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = to_regclass('${TSCHEMA[$e]}.stock_movements') AND attnum > 0 AND NOT attisdropped")"
        fi
      else
        log "$job FAILED: $(head -c 2000 <<<"$res" | tr '\n' ' ')"
        ERRS[$job]=$(sed -n 1,3p <<<"$res" | tr '\n' ' ' | cut -c 1-600)
        FAILED=1
      fi
      # Also after a failure: the run's steps say how far it got.
      if [[ -n $before ]]; then
        if phases=$(phase_line "$before" 2>&1) && [[ -n $phases ]]; then
          log "phases $job run $run: $phases"
        else
          log "phases $job run $run: no run recorded ${phases:+($(tr '\n' ' ' <<<"$phases"))}"
        fi
      fi
    done
  done
}

# ------------------------------------------------------------- 5. reporting
median() { # numbers as arguments ("-" ignored); prints the median or "-"
  local v=()
  for x in "$@"; do if [[ $x != - ]]; then v+=("$x"); fi; done
  if ((${#v[@]} == 0)); then
    echo -
    return
  fi
  printf '%s\n' "${v[@]}" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxkb_mb() { # kB values ("-" ignored) -> max in MB or "-"
  local v=()
  for x in "$@"; do if [[ $x != - ]]; then v+=("$x"); fi; done
  if ((${#v[@]} == 0)); then
    echo -
    return
  fi
  printf '%s\n' "${v[@]}" | sort -g | tail -n1 | awk '{ printf "%.1f", $1 / 1024 }'
}
ratio() { # a b -> "a/b x" or "-"
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-";
    else printf "%.2fx", a / b }'
}

report() {
  local job e pgv myv plv fdwv so sodate head baseline
  pgv=$(pg -d "$PG_DB" -At -c "SHOW server_version")
  myv=$(my -N -B -e "SELECT VERSION()")
  # sed reads everything: head would close the pipe early, and pgloader's
  # SIGPIPE would end the script (pipefail).
  plv=$(pgloader --version 2>/dev/null | sed -n '1 { s/pgloader version //; s/"//g; p }' || echo '?')
  fdwv=$(dpkg-query -W -f='${Version}' postgresql-15-mysql-fdw 2>/dev/null || echo '?')
  so=$(pg_config --pkglibdir)/minibar_migrate.so
  sodate=$(date -u -r "$so" '+%Y-%m-%d %H:%M UTC')
  head=$(git -C "$(dirname "$0")/.." describe --always --dirty 2>/dev/null || echo '?')
  baseline=$(psql -X -At -d "$PG_DB" -c "$HWM_SQL" | sed -n 's/^hwm_kb=//p' | awk '{ printf "%.1f", $1 / 1024 }')
  local my_mb lite_mb pool_mb
  read -r my_mb pool_mb < <(my -N -B -e "SELECT SUM(data_length + index_length) DIV 1048576,
      @@innodb_buffer_pool_size DIV 1048576 FROM information_schema.tables WHERE table_schema = '$MY_DB'")
  lite_mb=$(du -m "$SQLITE_FILE" | cut -f1)

  printf '\nminibar migration benchmark: scale %s = %s stock movements, %s rows in %s tables; median of %s run(s)\n' \
    "$SCALE" "$N" "$TOTAL_ROWS" "${#TABLES[@]}" "$RUNS"
  printf 'source: MariaDB %s %s (InnoDB %s MB, buffer pool %s MB), SQLite %s (%s MB)\n' \
    "$myv" "$MY_DB" "$my_mb" "$pool_mb" "$SQLITE_FILE" "$lite_mb"
  printf 'PostgreSQL %s; minibar_migrate.so %s (checkout %s); pgloader %s; mysql_fdw %s; %s CPUs\n' \
    "$pgv" "$sodate" "$head" "$plv" "$fdwv" "$(nproc)"
  printf 'wall = whole client process (psql / pgloader); backend MB = VmHWM of the largest PostgreSQL process that did the work\n'
  printf '  (minibar workers N: largest worker (polled) or the caller; pgloader: largest of its backends, polled); fresh backend: %s MB\n' "$baseline"
  printf 'cpu s = CPU seconds during the measurement: pg = the whole PostgreSQL cluster (postmaster pid %s and its children,\n' "${PG_POSTMASTER:-?}"
  printf '  exited ones included), mysqld = the MariaDB server (pid %s), client = psql / pgloader; cores busy = their sum / wall\n' "${MY_PID:-?}"
  printf 'load average at end: %s\n\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

  local w=6
  for job in "${JOBS[@]}"; do ((${#LABEL[$job]} <= w)) || w=${#LABEL[$job]}; done
  local fmt="%-${w}s %9s %11s %11s %10s %10s %7s %10s %4s %4s\n" dashes
  dashes=$(printf '%*s' "$w" '' | tr ' ' -)
  # shellcheck disable=SC2059
  printf "$fmt" engine 'wall s' 'rows/s' 'backend MB' 'caller MB' 'client MB' tables rows idx fk
  # shellcheck disable=SC2059
  printf "$fmt" "$dashes" --------- ----------- ----------- ---------- ---------- ------- ---------- ---- ----
  declare -gA MED=() MEDB=()
  for job in "${JOBS[@]}"; do
    e=$(engine_of "$job")
    if [[ -n ${UNAVAILABLE[$e]:-} || -z ${TIMES[$job]:-} ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "${LABEL[$job]}" n/a n/a n/a n/a n/a - - - -
      continue
    fi
    # shellcheck disable=SC2086
    MED[$job]=$(median ${TIMES[$job]})
    # shellcheck disable=SC2086
    MEDB[$job]=$(maxkb_mb ${BRSS[$job]})
    local crss krss tables rows idx fks rps
    # shellcheck disable=SC2086
    crss=$(maxkb_mb ${CRSS[$job]})
    # shellcheck disable=SC2086
    krss=$(maxkb_mb ${KRSS[$job]})
    read -r tables rows idx fks <<<"${SHAPE[$job]:-- - - -}"
    rps=$(awk -v r="${JOB_ROWS[$e]}" -v s="${MED[$job]}" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
    # shellcheck disable=SC2059
    printf "$fmt" "${LABEL[$job]}" "${MED[$job]}" "$rps" "${MEDB[$job]}" "$krss" "$crss" "$tables" "$rows" "$idx" "$fks"
  done

  printf '\nCPU (median seconds) and background-worker peaks in MB (each the largest any worker showed, polled; - without workers):\n'
  fmt="%-${w}s %9s %9s %10s %10s %10s %10s %10s %11s\n"
  # shellcheck disable=SC2059
  printf "$fmt" engine 'wall s' 'cpu pg' 'cpu mysqld' 'cpu client' 'cores busy' 'wrk VmHWM' 'wrk anon' 'wrk shmem'
  # shellcheck disable=SC2059
  printf "$fmt" "$dashes" --------- --------- ---------- ---------- ---------- ---------- ---------- -----------
  for job in "${JOBS[@]}"; do
    [[ -n ${MED[$job]:-} ]] || continue
    # shellcheck disable=SC2059,SC2086
    printf "$fmt" "${LABEL[$job]}" "${MED[$job]}" "$(median ${CPUPG[$job]})" "$(median ${CPUMY[$job]})" \
      "$(median ${CPUCL[$job]})" "$(median ${CORES[$job]})" \
      "$(maxkb_mb ${WHWM[$job]})" "$(maxkb_mb ${WANON[$job]})" "$(maxkb_mb ${WSHM[$job]})"
  done

  printf '\nper run (seconds):\n'
  for job in "${JOBS[@]}"; do
    if [[ -n ${TIMES[$job]:-} ]]; then printf '  %-24s %s\n' "$job" "$(xargs <<<"${TIMES[$job]}")"; fi
  done

  printf '\nratios (time, backend peak memory; > 1: minibar is faster / smaller):\n'
  local n b bb any_db=0 t0=""
  for n in "${WORKER_COUNTS[@]}"; do
    b=${MED[minibar_mysql.w$n]:-}
    bb=${MEDB[minibar_mysql.w$n]:-}
    [[ -n $b ]] || continue
    any_db=1
    for e in pgloader mysql_fdw restore_limit; do
      if [[ -n ${MED[$e]:-} ]]; then
        printf '  %-53s time %s   memory %s\n' "$e / minibar, workers $n (whole database):" \
          "$(ratio "${MED[$e]}" "$b")" "$(ratio "${MEDB[$e]}" "$bb")"
      fi
    done
    if [[ -n ${MED[minibar_sqlite.w$n]:-} ]]; then
      printf '  %-53s time %s   memory %s\n' "minibar SQLite / MariaDB, workers $n:" \
        "$(ratio "${MED[minibar_sqlite.w$n]}" "$b")" "$(ratio "${MEDB[minibar_sqlite.w$n]}" "$bb")"
    fi
  done
  if ((any_db == 0)); then
    printf '  none against the whole database: minibar_mysql was not measured\n'
  fi
  if [[ -n ${MED[restore_limit]:-} && -n ${MED[pgloader]:-} ]]; then
    printf '  %-53s time %s   (PostgreSQL restoring the same database from local files, vs pgloader)\n' \
      "pgloader / pg_restore floor:" "$(ratio "${MED[pgloader]}" "${MED[restore_limit]}")"
  fi
  # Speed-up of the worker runs over the run in the calling backend.
  local -A short=([minibar_mysql]='migrate_database MariaDB' [minibar_sqlite]='migrate_database SQLite'
    [minibar_table]='migrate_table')
  for e in minibar_mysql minibar_sqlite minibar_table; do
    t0=${MED[$e.w0]:-}
    [[ -n $t0 ]] || continue
    for n in "${WORKER_COUNTS[@]}"; do
      if [[ $n != 0 && -n ${MED[$e.w$n]:-} ]]; then
        printf '  %-53s time %s   memory %s\n' "${short[$e]}, workers 0 / workers $n:" \
          "$(ratio "$t0" "${MED[$e.w$n]}")" "$(ratio "${MEDB[$e.w0]}" "${MEDB[$e.w$n]}")"
      fi
    done
  done
  if [[ -n ${MED[copy_limit]:-} ]]; then
    for n in "${WORKER_COUNTS[@]}"; do
      if [[ -n ${MED[minibar_table.w$n]:-} ]]; then
        printf '  %-53s time %s   memory %s   (1.00 = as fast as COPY from a local file)\n' \
          "migrate_table(stock_movements), workers $n / COPY:" \
          "$(ratio "${MED[minibar_table.w$n]}" "${MED[copy_limit]}")" \
          "$(ratio "${MEDB[minibar_table.w$n]}" "${MEDB[copy_limit]}")"
      fi
    done
  fi

  local any=0 msg
  for job in "${JOBS[@]}"; do
    e=$(engine_of "$job")
    for msg in "${UNAVAILABLE[$e]:-}" "${ERRS[$job]:-}"; do
      if [[ -n $msg ]]; then
        ((any++)) || printf '\nproblems:\n'
        printf '  %s: %s\n' "$job" "$msg"
      fi
    done
  done
  printf '\nlogs and generated SQL: %s\n' "$LOG_DIR"
}

stage "minibar migration benchmark: scale $SCALE ($N stock movements), RUNS=$RUNS, engines: $ENGINES, workers: ${WORKER_COUNTS[*]}"
install_deps
generate_mariadb
generate_sqlite
export_tsv
setup_pg
write_minibar_sql
prepare_reference
run_all
report
for e in $ENGINES; do
  if [[ -n ${UNAVAILABLE[$e]:-} ]]; then FAILED=1; fi
done
exit "$FAILED"
