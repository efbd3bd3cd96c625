# Shared by the bench scripts (sourced): checks of their settings. NAME is the
# script's name, for the message; a bad setting ends the script with status 2.

# bench_positive_ints NAME VAR...: each variable VAR holds a positive integer.
bench_positive_ints() {
  local name=$1 v
  shift
  for v in "$@"; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || {
      echo "$name: $v must be a positive integer, got '${!v}'" >&2
      exit 2
    }
  done
}

# bench_engines NAME "ENGINE...": every engine of $ENGINES is one of these.
bench_engines() {
  local e
  for e in $ENGINES; do
    [[ " $2 " == *" $e "* ]] || {
      echo "$1: unknown engine '$e' in ENGINES" >&2
      exit 2
    }
  done
}

