#!/usr/bin/env bash
# Runs the benchmarks and writes bench/target/results.md (one JVM per peer and workload).
# Build first, from the repository root:  mvn -B -Pbench -DskipTests package
# Options (bench/run.sh --help): --workloads W1,W2,W3,W4,D (variants: W2-op,W3-before,W4-before,W4-op)
#   --peers zkynet,plain,gemm,djl --threads N --reps N --warmup S --budget S --zk-java-home DIR
#   --jvm-arg ARG --timeout S --out FILE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
classpath="$here/target/classpath.txt"
if [[ ! -f "$classpath" || ! -d "$here/target/classes" ]]; then
  echo "bench is not built: run 'mvn -B -Pbench -DskipTests package' in $(dirname "$here") first" >&2
  exit 1
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -Dbench.dir="$here" -cp "$here/target/classes:$(cat "$classpath")" zkynet.bench.Launcher "$@"
