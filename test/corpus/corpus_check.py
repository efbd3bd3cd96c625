#!/usr/bin/env python3
"""Public-corpus check: migrate each database of test/corpus/ with
minibar_migrate, then compare every value with the source as its own client
reads it (mariadb, sqlite3), independently of the extension's code.

For each corpus database:
  1. load it into MariaDB (database minibar_corpus_<name>) or into a SQLite
     file under /tmp/minibar_migrate_corpus;
  2. run minibar_migrate.migrate_database into schema corpus_<name>;
  3. read every table from the source with mariadb / sqlite3 and from
     PostgreSQL with psql (COPY), turn each value into one canonical text
     (numbers as exact decimal text or IEEE values, dates ISO in UTC, bytes
     as hex, booleans 0/1, strings as their characters) and compare the
     sorted row sets of each table.

A row of the source missing from the target is accepted only when the run
reported it: the table's rows_rejected counts it and minibar_migrate.rejects
holds a reason for it. A zero date that arrived as NULL is accepted only when
the table's zero_dates counts it. Any other difference fails, except the
known differences listed in KNOWN (each with its reason, also listed in
test/corpus/README.md); a known difference that no longer shows up fails too,
so that the list stays true.

Output is TAP (one test per table, plus one per database for the run), for
`prove`. Environment: PGPORT/PGHOST/PGUSER as for psql; CORPUS_PGDATABASE
(default minibar_corpus) is created if missing; CORPUS_ONLY=name limits the
run to one database; CORPUS_VERBOSE=1 prints every compared table's figures.
"""
import datetime
import json
import os
import re
import struct
import subprocess
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation

HERE = os.path.dirname(os.path.abspath(__file__))
# The corpus files are third parties' (sources and licences in README.md and LICENSES.md).
DATA = os.path.join(HERE, "third_party")
LITE_DIR = "/tmp/minibar_migrate_corpus"
PGDB = os.environ.get("CORPUS_PGDATABASE", "minibar_corpus")
MAX_SHOWN = 10  # differing values shown per table

# Known differences: (database, table, column, source canonical, target
# canonical) -> reason. Keep in step with README.md.
KNOWN = {}

# Self-checks that the comparison can fail: after a table compared equal, one
# target value is changed (UPDATE ... SET column = expression WHERE key), the
# table is compared again, and the check must now name that column.
# (database, table, target column, new value expression, WHERE condition)
TAMPER = [
    ("sakila", "country", "country", "country || '.'", "country_id = 1"),
    ("chinook", "Invoice", "billingcity", "rtrim(billingcity)", "invoiceid = 152"),
    ("chinook", "Invoice", "total", "total + 0.01", "invoiceid = 151"),
    ("sqlite_fdw_init", "alltypetest", "c22", "99999.99998", "c1 = 583647"),
]

# ------------------------------------------------------------------ corpus list
# name -> (kind, files loaded in order)
CORPUS = [
    ("pgloader_my", "mysql", ["mysql/pgloader_my.sql"]),
    ("pgloader_hex", "mysql", ["mysql/pgloader_hex.sql"]),
    ("pgloader_history", "mysql", ["mysql/pgloader_history.sql"]),
    ("pgloader_db789", "mysql", ["mysql/pgloader_db789.sql"]),
    ("mysql_fdw_regress", "mysql", ["mysql/mysql_fdw_regress.sql"]),
    ("mysql_fdw_regress1", "mysql", ["mysql/mysql_fdw_regress1.sql"]),
    ("sakila", "mysql", ["mysql/sakila_schema.sql", "mysql/sakila_data.sql"]),
    ("sqlite_fdw_init", "sqlite", ["sqlite/sqlite_fdw_init.sql"]),
    ("sqlite_fdw_init_core", "sqlite", ["sqlite/sqlite_fdw_init_core.sql"]),
    ("sqlite_fdw_init_post", "sqlite", ["sqlite/sqlite_fdw_init_post.sql", "sqlite/postgres_fdw_rows.sql"]),
    ("chinook", "sqlite", ["sqlite/chinook_sqlite.sql"]),
]

# ------------------------------------------------------------------ TAP
_test_no = 0
_failed = 0


def tap(ok, name, diag=()):
    global _test_no, _failed
    _test_no += 1
    if not ok:
        _failed += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (_test_no, name))
    for line in diag:
        print("# " + line)
    sys.stdout.flush()


def note(line):
    print("# " + line)
    sys.stdout.flush()


# ------------------------------------------------------------------ clients
def run(cmd, stdin=None, check=True):
    p = subprocess.run(cmd, input=stdin, capture_output=True)
    if check and p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], p.returncode,
                                                   p.stderr.decode(errors="replace").strip()))
    return p


def psql(sql, db=PGDB):
    p = run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", db], stdin=sql.encode())
    return p.stdout.decode()


def mariadb(sql, db=None, raw=False):
    cmd = ["mariadb", "--batch", "--skip-column-names", "--default-character-set=utf8mb4"]
    if raw:
        cmd.append("--raw")
    if db:
        cmd.append(db)
    p = run(cmd, stdin=("SET time_zone = '+00:00';\n" + sql).encode())
    return p.stdout.decode()


def sqlite(path, sql):
    p = run(["sqlite3", "-batch", "-noheader", "-separator", "\t", "-nullvalue", "\\N", path],
            stdin=sql.encode())
    return p.stdout.decode()


def q_my(name):
    return "`" + name.replace("`", "``") + "`"


def q_lite(name):
    return '"' + name.replace('"', '""') + '"'


def q_pg(name):
    return '"' + name.replace('"', '""') + '"'


def lit(s):
    return "'" + s.replace("'", "''") + "'"


# ------------------------------------------------------------------ loading
def load_mysql(name, files):
    db = "minibar_corpus_" + name
    mariadb("DROP DATABASE IF EXISTS %s; CREATE DATABASE %s CHARACTER SET utf8mb4;" % (db, db))
    for f in files:
        with open(os.path.join(DATA, f), "rb") as fh:
            run(["mariadb", "--default-character-set=utf8mb4", db], stdin=fh.read())
    return db


def load_sqlite(name, files):
    os.makedirs(LITE_DIR, exist_ok=True)
    os.chmod(LITE_DIR, 0o755)
    path = os.path.join(LITE_DIR, name + ".sqlite")
    if os.path.exists(path):
        os.remove(path)
    for f in files:
        with open(os.path.join(DATA, f), "rb") as fh:
            # the sqlite3 shell goes on after an error, as the sources expect
            p = run(["sqlite3", "-batch", path], stdin=fh.read(), check=False)
            for line in p.stderr.decode(errors="replace").splitlines():
                note("%s: sqlite3 says: %s" % (name, line))
    os.chmod(path, 0o644)
    return path


# ------------------------------------------------------------------ source reading
def source_value(cls, text):
    """(class, text) of one source value: hex text decoded to its characters,
    hex bytes lower-cased, other classes (i, r, d) as read."""
    if cls == "t":
        return ("t", bytes.fromhex(text).decode("utf-8", errors="surrogateescape"))
    if cls == "b":
        return ("b", text.lower())
    return (cls, text)


def mysql_columns(db):
    out = mariadb("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
                  "WHERE TABLE_SCHEMA = %s AND TABLE_NAME IN (SELECT TABLE_NAME FROM information_schema.TABLES "
                  "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE') ORDER BY TABLE_NAME, ORDINAL_POSITION"
                  % (lit(db), lit(db)), raw=True)
    tables = {}
    for line in out.splitlines():
        t, c, dt, ct = line.split("\t")
        tables.setdefault(t, []).append((c, dt.lower(), ct.lower()))
    return tables


INT_TYPES = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "year"}
GEOM_TYPES = {"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
              "multipolygon", "geometrycollection"}
BIN_TYPES = {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}


def mysql_expr(col, dt):
    """Source expression and value class for one MySQL column: the value
    leaves MariaDB as text that keeps every bit of it."""
    c = q_my(col)
    if dt in INT_TYPES:
        return c, "i"
    if dt == "float":
        return "CAST(%s AS DOUBLE)" % c, "r"
    if dt == "double":
        return c, "r"
    if dt == "bit":
        return "CAST(%s AS UNSIGNED)" % c, "i"
    if dt in BIN_TYPES:
        return "HEX(%s)" % c, "b"
    if dt in GEOM_TYPES:
        return "HEX(ST_AsBinary(%s))" % c, "b"
    if dt in ("date", "datetime", "timestamp", "time"):
        return "CAST(%s AS CHAR)" % c, "d"
    # char, varchar, text family, enum, set, json
    return "HEX(CONVERT(%s USING utf8mb4))" % c, "t"


def read_mysql(db, table, cols):
    exprs = [mysql_expr(c, dt) for c, dt, _ in cols]
    sql = "SELECT %s FROM %s.%s" % (", ".join(e for e, _ in exprs), q_my(db), q_my(table))
    rows = []
    for line in mariadb(sql, raw=True).splitlines():
        vals = line.split("\t")
        row = []
        rows.append([None if v == "NULL" else source_value(cls, v) for (e, cls), v in zip(exprs, vals)])
    return rows


def sqlite_tables(path):
    out = sqlite(path, "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_xinfo(m.name) p "
                       "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' ORDER BY m.name, p.cid;")
    tables = {}
    for line in out.splitlines():
        t, c, ty = line.split("\t")
        tables.setdefault(t, []).append((c, ty.lower(), ty.lower()))
    return tables


def read_sqlite(path, table, cols):
    exprs = []
    for c, _, _ in cols:
        qc = q_lite(c)
        exprs.append("CASE typeof(%s) WHEN 'null' THEN '\\N' WHEN 'integer' THEN 'i:' || %s "
                     "WHEN 'real' THEN 'r:' || printf('%%!.17g', %s) WHEN 'text' THEN 't:' || hex(%s) "
                     "ELSE 'b:' || hex(%s) END" % (qc, qc, qc, qc, qc))
    out = sqlite(path, "SELECT %s FROM %s;" % (", ".join(exprs), q_lite(table)))
    rows = []
    for line in out.splitlines():
        rows.append([None if v == "\\N" else source_value(v[0], v[2:]) for v in line.split("\t")])
    return rows


# ------------------------------------------------------------------ target reading
def target_kind(pgtype):
    t = pgtype
    if t.endswith("[]"):
        return "array"
    if t == "boolean":
        return "bool"
    if t in ("smallint", "integer", "bigint") or t.startswith("numeric"):
        return "num"
    if t == "real":
        return "f4"
    if t == "double precision":
        return "f8"
    if t == "bytea":
        return "bytes"
    if t.startswith("timestamp"):
        return "ts"
    if t == "date":
        return "date"
    if t.startswith("time"):
        return "time"
    if t == "interval":
        return "interval"
    if t in ("json", "jsonb"):
        return "json"
    if t == "uuid":
        return "uuid"
    if t.startswith("bit"):
        return "bits"
    return "text"


def pg_expr(col, kind, pgtype):
    c = q_pg(col)
    if kind == "bool":
        return "CASE WHEN %s THEN '1' ELSE '0' END" % c
    if kind in ("num", "f4", "f8", "bits", "time", "interval", "uuid"):
        return "%s::text" % c
    if kind == "bytes":
        return "encode(%s, 'hex')" % c
    if kind == "ts":
        if "with time zone" in pgtype:
            return "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" % c
        return "to_char(%s, 'YYYY-MM-DD HH24:MI:SS.US')" % c
    if kind == "date":
        return "to_char(%s, 'YYYY-MM-DD')" % c
    if kind == "array":
        return "encode(convert_to(array_to_json(%s)::text, 'UTF8'), 'hex')" % c
    return "encode(convert_to(%s::text, 'UTF8'), 'hex')" % c


def target_columns(target):
    out = psql("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
               "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
               % lit(target))
    return [tuple(line.split("|", 1)) for line in out.splitlines()]


def read_target(target, tcols):
    exprs = [pg_expr(c, target_kind(t), t) for c, t in tcols]
    sql = "SET extra_float_digits = 1;\nCOPY (SELECT %s FROM %s) TO STDOUT;\n" % (", ".join(exprs), target)
    rows = []
    for line in psql(sql).splitlines():
        row = []
        for (c, t), v in zip(tcols, line.split("\t")):
            if v == "\\N":
                row.append(None)
            elif target_kind(t) in ("text", "json", "array"):
                row.append(bytes.fromhex(v).decode("utf-8"))
            else:
                row.append(v)
        rows.append(row)
    return rows


# ------------------------------------------------------------------ canonical forms
def dec(s):
    try:
        d = Decimal(s.strip())
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    if d == 0:
        return "0"
    t = format(d.normalize(), "f")
    return t


def f8(s):
    try:
        return repr(float(s))
    except ValueError:
        return None


def f4(s):
    try:
        return repr(struct.unpack("f", struct.pack("f", float(s)))[0])
    except (ValueError, OverflowError):
        return None


TS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
                   r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")


def ts(s):
    """ISO date-time text -> 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC (no zone = UTC)."""
    m = TS_RE.match(s.strip())
    if not m:
        return None
    y, mo, d, h, mi, se, frac, zone = m.groups()
    if y == "0000" and mo == "00" and d == "00":
        return "ZERO"
    frac = (frac or "")
    if len(frac) > 6:
        return None  # finer than PostgreSQL keeps: never equal
    try:
        v = datetime.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(se or 0),
                              int(frac.ljust(6, "0")))
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        z = zone[1:].replace(":", "")
        off = datetime.timedelta(hours=int(z[:2]), minutes=int(z[2:] or 0))
        v = v - sign * off
    return v.strftime("%Y-%m-%d %H:%M:%S.%f")


def date_only(s):
    t = ts(s)
    if t is None or t == "ZERO":
        return t
    if not t.endswith("00:00:00.000000"):
        return None
    return t[:10]


def time_canon(s):
    m = re.match(r"^(-?)(\d+):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$", s.strip())
    if not m:
        return None
    sign, h, mi, se, frac = m.groups()
    frac = (frac or "").rstrip("0")
    return "%s%d:%s:%s%s" % (sign, int(h), mi, se or "00", "." + frac if frac else "")


def interval_canon(s):
    # PostgreSQL's default style: [N days ]HH:MM:SS[.f] -> total hours
    m = re.match(r"^(?:(-?\d+) days? ?)?(-?)(\d+):(\d{2}):(\d{2})(\.\d+)?$", s.strip())
    if not m:
        return time_canon(s)
    days, sign, h, mi, se, frac = m.groups()
    hours = int(days or 0) * 24 + int(h)
    return time_canon("%s%d:%s:%s%s" % (sign, hours, mi, se, frac or ""))


def canon_source(kind, v):
    """Canonical text of a source value (class, text) for a target column of
    this kind; a value that has no such form keeps a marked form of its own,
    which then differs from whatever the target holds."""
    if v is None:
        return None
    cls, s = v
    raw = "%s:%s" % (cls, s)
    if kind == "num":
        if cls == "i":
            return dec(s) or raw
        if cls == "r":  # a binary double: its shortest round-trip decimal
            return dec(f8(s) or "x") or raw
        return raw
    if kind == "f8":
        if cls == "i" and float(int(s)) != int(s):
            return raw
        return (f8(s) if cls in ("i", "r") else None) or raw
    if kind == "f4":
        if cls in ("i", "r"):
            return f4(s) or raw
        return raw
    if kind == "bool":
        if cls == "i" and s in ("0", "1"):
            return s
        return raw
    if kind == "bytes":
        if cls == "b":
            return s
        if cls == "t":
            return s.encode("utf-8", errors="surrogateescape").hex()
        return raw
    if kind == "ts":
        if cls in ("t", "d"):
            return ts(s) or raw
        if cls in ("i", "r"):  # Unix time in seconds (SQLite)
            try:
                epoch = Decimal(s)
                base = datetime.datetime(1970, 1, 1)
                us = int((epoch * 1000000).to_integral_value())
                return (base + datetime.timedelta(microseconds=us)).strftime("%Y-%m-%d %H:%M:%S.%f")
            except (InvalidOperation, OverflowError, ValueError):
                return raw
        return raw
    if kind == "date":
        if cls in ("t", "d"):
            return date_only(s) or raw
        return raw
    if kind == "time":
        return (time_canon(s) if cls in ("t", "d") else None) or raw
    if kind == "interval":
        return (time_canon(s) if cls in ("t", "d") else None) or raw
    if kind == "json":
        if cls == "t":
            try:
                return json.dumps(json.loads(s), sort_keys=True)
            except ValueError:
                return raw
        return raw
    if kind == "uuid":
        return s.lower() if cls == "t" else raw
    if kind == "array":  # MySQL SET: comma-separated members
        if cls == "t":
            return json.dumps(s.split(",") if s != "" else [])
        return raw
    if kind == "bits":
        return str(int(s)) if cls == "i" else raw
    # text
    if cls == "t":
        return s
    if cls == "i":
        return s
    if cls == "r":
        return "r:" + (f8(s) or s)
    if cls == "d":
        return s
    return raw


TARGET_CANON = {"num": dec, "f8": f8, "f4": f4, "ts": ts, "date": date_only, "time": time_canon,
                "interval": interval_canon, "bits": lambda s: str(int(s, 2)) if s else "0"}


def canon_target(kind, s):
    """Canonical text of a target value (as psql gave it) of this kind."""
    if s is None:
        return None
    if kind == "json":
        return json.dumps(json.loads(s), sort_keys=True)
    if kind == "array":
        return json.dumps(json.loads(s))
    f = TARGET_CANON.get(kind)
    return (f(s) or s) if f else s


# ------------------------------------------------------------------ comparison
def show(v):
    if v is None:
        return "NULL"
    t = v if len(v) <= 80 else v[:77] + "..."
    return json.dumps(t, ensure_ascii=False)


def compare_table(dbname, table, scols, srows, target, tcols, trows, report, rejects):
    """Returns (ok, diagnostics, known_hits)."""
    diags = []
    tnames = [c for c, _ in tcols]
    # source columns matched to target columns by name (names are lower-cased)
    mapping = []
    for i, (c, _, _) in enumerate(scols):
        want = c.lower()
        if want in tnames:
            mapping.append((i, tnames.index(want)))
        else:
            diags.append("column %s.%s has no target column (target has %s)" % (table, c, tnames))
    if len(tcols) != len(scols):
        diags.append("%s: %d source columns, %d target columns" % (table, len(scols), len(tcols)))
    if diags:
        return False, diags, set()
    kinds = [target_kind(tcols[j][1]) for _, j in mapping]
    zero_ok = (report.get("zero_dates") or 0) > 0
    src = []
    for r in srows:
        row = []
        for (i, j), k in zip(mapping, kinds):
            v = canon_source(k, r[i])
            if v == "ZERO" and zero_ok:
                v = None  # reported: zero_dates counts it
            row.append(v)
        src.append(tuple(row))
    tgt = []
    for r in trows:
        tgt.append(tuple(canon_target(k, r[j]) for (i, j), k in zip(mapping, kinds)))

    cs, ct = Counter(src), Counter(tgt)
    missing = list((cs - ct).elements())   # source rows not in the target
    extra = list((ct - cs).elements())     # target rows not in the source
    known_hits = set()
    # pair missing and extra rows by their first differing columns to name values
    diffs = []
    unmatched_missing = []
    for m in sorted(missing, key=lambda x: json.dumps(x)):
        best, best_n = None, None
        for e in extra:
            n = sum(1 for a, b in zip(m, e) if a != b)
            if best_n is None or n < best_n:
                best, best_n = e, n
        if best is not None and best_n < len(m):
            extra.remove(best)
            cols_diff = [(scols[mapping[x][0]][0], m[x], best[x]) for x in range(len(m)) if m[x] != best[x]]
            all_known = True
            for col, sv, tv in cols_diff:
                key = (dbname, table, col, sv, tv)
                if key in KNOWN:
                    known_hits.add(key)
                else:
                    all_known = False
            if not all_known:
                diffs.append(cols_diff)
        else:
            unmatched_missing.append(m)
    ok = True
    for cols_diff in diffs[:MAX_SHOWN]:
        ok = False
        diags.append("value changed: " + "; ".join(
            "%s.%s: source %s, target %s" % (table, col, show(sv), show(tv)) for col, sv, tv in cols_diff))
    if len(diffs) > MAX_SHOWN:
        diags.append("... and %d more changed rows" % (len(diffs) - MAX_SHOWN))
    for e in extra[:MAX_SHOWN]:
        ok = False
        diags.append("row in the target that the source does not have: %s" % (list(map(show, e)),))
    rejected = report.get("rows_rejected") or 0
    if len(unmatched_missing) != rejected or len(rejects) != rejected:
        ok = False
        diags.append("%d source rows missing from the target; the report says %d rejected, "
                     "minibar_migrate.rejects holds %d" % (len(unmatched_missing), rejected, len(rejects)))
        for m in unmatched_missing[:MAX_SHOWN]:
            diags.append("missing row: %s" % (list(map(show, m)),))
    elif rejected:
        diags.append("%d rows rejected, reported with reasons: %s" % (
            rejected, "; ".join(sorted({"%s (%s)" % (r["reason"], r["column"]) for r in rejects}))[:400]))
    return ok, diags, known_hits


# ------------------------------------------------------------------ one database
def migrate(name, kind, where):
    server = "corpus_" + name
    schema = "corpus_" + name
    if kind == "mysql":
        setup = ("CREATE SERVER %s FOREIGN DATA WRAPPER minibar_mysql OPTIONS "
                 "(host '127.0.0.1', port '3306', dbname %s);\n"
                 "CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (username 'minibar', password 'minibar');\n"
                 % (server, lit(where), server))
    else:
        setup = ("CREATE SERVER %s FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database %s);\n"
                 % (server, lit(where)))
    sql = ("SET client_min_messages = warning;\n"
           "DROP SCHEMA IF EXISTS %s CASCADE;\nDROP SERVER IF EXISTS %s CASCADE;\n%s"
           "SELECT json_agg(row_to_json(r)) FROM minibar_migrate.migrate_database(%s, %s, "
           "'{\"workers\": 0}') r;\n" % (schema, server, setup, lit(server), lit(schema)))
    out = psql(sql).strip().splitlines()[-1]
    rows = json.loads(out)
    run_id = rows[0]["run_id"] if rows else None
    rej = {}
    if run_id is not None:
        out = psql("SELECT coalesce(json_agg(json_build_object('table', source_table, 'column', column_name, "
                   "'reason', reason, 'value', value)), '[]') FROM minibar_migrate.rejects WHERE run_id = %d"
                   % run_id).strip()
        for r in json.loads(out):
            rej.setdefault(r["table"], []).append(r)
    return rows, rej


def check_database(name, kind, files):
    try:
        where = load_mysql(name, files) if kind == "mysql" else load_sqlite(name, files)
    except (RuntimeError, OSError) as e:
        tap(False, "%s: load the corpus" % name, [str(e)])
        return
    try:
        report, rejects = migrate(name, kind, where)
    except (RuntimeError, ValueError, IndexError) as e:
        tap(False, "%s: migrate_database" % name, [str(e)])
        return
    tables = mysql_columns(where) if kind == "mysql" else sqlite_tables(where)
    by_source = {r["source_name"]: r for r in report if r.get("kind", "table") == "table" and r.get("target")}
    others = [r for r in report if r not in by_source.values()]
    missing_tables = sorted(set(tables) - set(by_source))
    tap(not missing_tables, "%s: migrate_database reports every source table (%d tables)" % (name, len(tables)),
        ["not in the report: %s" % missing_tables] if missing_tables else
        ["not translated: %s %s" % (r.get("source_name"), r.get("notes")) for r in others])
    for table in sorted(tables):
        if table not in by_source:
            continue
        rep = by_source[table]
        scols = tables[table]
        try:
            srows = read_mysql(where, table, scols) if kind == "mysql" else read_sqlite(where, table, scols)
            tcols = target_columns(rep["target"])
            trows = read_target(rep["target"], tcols)
        except (RuntimeError, UnicodeDecodeError, ValueError) as e:
            tap(False, "%s.%s: read both sides" % (name, table), [str(e)])
            continue
        ok, diags, hits = compare_table(name, table, scols, srows, rep["target"], tcols, trows, rep,
                                        rejects.get(table, []))
        for key in sorted(hits):
            diags.append("known difference %s: %s" % (key[2:], KNOWN[key]))
        expected_known = {k for k in KNOWN if k[0] == name and k[1] == table}
        for key in sorted(expected_known - hits):
            ok = False
            diags.append("known difference no longer seen (remove it from KNOWN and README): %s" % (key,))
        label = "%s.%s: %d source rows, %d copied, %d rejected%s" % (
            name, table, len(srows), rep.get("rows_copied") or 0, rep.get("rows_rejected") or 0,
            "" if not hits else ", %d known difference(s)" % len(hits))
        if ok and not os.environ.get("CORPUS_VERBOSE"):
            tap(True, label, [d for d in diags if d.startswith("known") or "rejected" in d])
        else:
            tap(ok, label, diags)
        for db_, table_, col, expr, where_ in TAMPER:
            if (db_, table_) != (name, table):
                continue
            psql("UPDATE %s SET %s = %s WHERE %s;" % (rep["target"], q_pg(col), expr, where_))
            trows = read_target(rep["target"], tcols)
            ok2, diags2, _ = compare_table(name, table, scols, srows, rep["target"], tcols, trows, rep,
                                           rejects.get(table, []))
            named = any(("%s.%s:" % (table, c) in d) for d in diags2 for c, _, _ in scols
                        if c.lower() == col)
            tap(not ok2 and named, "%s.%s: self-check, a changed %s (%s) is caught" % (name, table, col, expr),
                diags2 if ok2 or not named else diags2[:1])


def main():
    only = os.environ.get("CORPUS_ONLY")
    # A fresh database each time: the extension installed there is the one
    # just built (an older install would keep its older state tables).
    run(["psql", "-X", "-q", "-d", "postgres", "-c", "DROP DATABASE IF EXISTS %s" % q_pg(PGDB)])
    run(["psql", "-X", "-q", "-d", "postgres", "-c", "CREATE DATABASE %s" % q_pg(PGDB)])
    psql("SET client_min_messages = warning; CREATE EXTENSION minibar_migrate;")
    for name, kind, files in CORPUS:
        if only and name != only:
            continue
        check_database(name, kind, files)
    print("1..%d" % _test_no)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
