#!/usr/bin/env bash
# Builds and runs .ci/consumer, a user's project written from the README, against the zkynet
# artifacts in the local repository (run `mvn -B -DskipTests install` at the root first). Fails when
# the program's numbers are wrong, when a test library or a dynamic version reaches the user's
# dependencies, when the run prints a stack trace, or when it prints SLF4J's "no binding" warning.
# Extra arguments go to every Maven call (e.g. -Dmaven.repo.local=...).
set -euo pipefail
cd "$(dirname "$0")"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

fail() {
  echo "consumer: FAILED: $*" >&2
  exit 1
}

# $1: what; the output of the run is in $out.
check_run() {
  cat "$out"
  grep -q '^all checks passed$' "$out" || fail "$1: the program's checks did not pass"
  if grep -Eq '^[[:space:]]+at [[:alnum:]_.$]+\(' "$out"; then
    fail "$1: a stack trace was printed"
  fi
}

# $1: what; fails on SLF4J's warnings unless ND4J (which brings SLF4J 1.7) is still on the default
# class path, which it is until ND4J becomes an opt-in dependency.
check_no_slf4j_warning() {
  grep -q '^SLF4J' "$out" || return 0
  if grep -q 'nd4j-api' target/classpath.txt; then
    echo "consumer: note: SLF4J warning tolerated while ND4J is still a required dependency of the runtime"
  else
    fail "$1: SLF4J printed a warning"
  fi
}

echo "== consumer: compile, with the dependency check"
mvn -B -q "$@" -Pdeps-check clean compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt

echo "== consumer: mvn exec:java"
mvn -B -q "$@" exec:java -Dzkynet.viz.dot=none >"$out" 2>&1 || { cat "$out"; fail "exec:java"; }
check_run "exec:java"
check_no_slf4j_warning "exec:java"

echo "== consumer: java -cp"
java -Dzkynet.viz.dot=none -cp "target/classes:$(cat target/classpath.txt)" example.Main target/pictures-cp \
  >"$out" 2>&1 || { cat "$out"; fail "java -cp"; }
check_run "java -cp"
check_no_slf4j_warning "java -cp"

echo "== consumer: mvn -Pnd4j exec:java (ND4J's CPU backend, opt-in)"
mvn -B -q "$@" -Pnd4j,deps-check exec:java -Dzkynet.viz.dot=none -Dzkynet.backend=nd4j >"$out" 2>&1 \
  || { cat "$out"; fail "exec:java -Pnd4j"; }
check_run "exec:java -Pnd4j"
grep -q '^SLF4J' "$out" && fail "exec:java -Pnd4j: SLF4J printed a warning"
echo "consumer: OK"
