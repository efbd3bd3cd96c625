#!/bin/bash
# A pgTAP file's SQLite fixture, made anew:
#   test/pgtap/include/sqlite_fixture.sh FILE SQL
# removes FILE, runs SQL in a new FILE with the sqlite3 client (its folder is
# made, mode 755), leaves the file readable by the server (644) and prints
# "ok"; on an error, sqlite3's message instead (the file's check then fails).
f=$1
install -d -m 755 "$(dirname "$f")" && rm -f "$f" && sqlite3 "$f" "$2" 2>&1 && chmod 644 "$f" && echo ok
