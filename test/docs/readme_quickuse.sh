#!/bin/bash
# TAP test (run by scripts/test.sh with prove): the README's "Quick use"
# block, taken from README.md between <!-- quick-use:begin --> and
# <!-- quick-use:end -->, runs as written (bash -e) against the bundled sample,
# on the cluster PGPORT names (the shared one by default). Then the database
# it made holds every table of the sample with the sample's row counts, so
# README and test cannot drift apart.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=test/scripts/tap.sh
. test/scripts/tap.sh
WORK=$(mktemp -d /tmp/minibar_quickuse.XXXXXX)
SAMPLE=/tmp/minibar_sample.db # the path the block uses
cleanup() {
  dropdb --if-exists minibar_quick >/dev/null 2>&1 || true
  rm -f "$SAMPLE"
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "1..4"
[ "$(id -u)" = 0 ] || bail "must run as root (the block is written for root)"
awk '/<!-- quick-use:begin -->/ {on = 1; next} /<!-- quick-use:end -->/ {on = 0} on' README.md |
  sed '/^```/d' >"$WORK/block.sh"
grep -q "migrate_database" "$WORK/block.sh" && pass "README.md has the quick-use block ($(wc -l <"$WORK/block.sh") lines)" ||
  bail "no quick-use block between the markers in README.md"

dropdb --if-exists minibar_quick >/dev/null 2>&1
rm -f "$SAMPLE"
if bash -e -o pipefail "$WORK/block.sh" >"$WORK/out" 2>&1; then
  pass "the block runs without an error"
else
  fail "the block runs without an error"
  sed 's/^/#   /' "$WORK/out" | tail -30
fi

# Every table of the sample, with the sample's rows.
tables=$(sqlite3 "$SAMPLE" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1" 2>/dev/null)
want="" have=""
for t in $tables; do
  want+="$t=$(sqlite3 "$SAMPLE" "SELECT count(*) FROM \"$t\"") "
  have+="$t=$(psql -X -At -d minibar_quick -c "SELECT count(*) FROM app.\"$t\"" 2>&1) "
done
[ -n "$tables" ] || fail "the sample has tables"
diag "rows per table: $want"
is "$have" "$want" "schema app holds every table of the sample with its row count"
is "$(psql -X -At -d minibar_quick -c "SELECT ok || ' ' || tables FROM minibar_migrate.validations ORDER BY validation_id DESC LIMIT 1" 2>&1)" \
  "true $(echo "$tables" | wc -w)" "validate_database found every table equal"
[ "$failures" = 0 ]
