# TAP helpers for the shell tests (sourced): pass/fail/is count the tests
# and the failures; diag prints a comment; bail stops the test.
tests=0
failures=0
pass() {
  tests=$((tests + 1))
  echo "ok $tests - $1"
}
fail() {
  tests=$((tests + 1))
  failures=$((failures + 1))
  echo "not ok $tests - $1"
}
is() { # have want description
  if [ "$1" == "$2" ]; then pass "$3"; else
    fail "$3"
    echo "#   have: $1"
    echo "#   want: $2"
  fi
}
diag() { echo "# $*"; }
bail() {
  echo "Bail out! $*"
  exit 1
}
now_ms() { date +%s%3N; }
