#!/usr/bin/env bash
#
# Paired runs of `ae4j bench` and bench/pytorch_reference.py, back to back, for dense and conv, and a
# table of the ae4j / PyTorch ratios per pair with their medians. Builds nothing: build the command
# line first (./ae4j --version builds it if the sources changed). Run it on a quiet machine.
#
#   bench/paired.sh [ROUNDS] [ARCHS]       e.g. bench/paired.sh 3 "dense conv"
#
# Environment: PYTHON (default /usr/bin/python3), OMP_WAIT_POLICY (default PASSIVE, for both sides).
# Raw JSON lines are kept in bench/paired-<date>.jsonl (or $PAIRED_OUT).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-3}"
ARCHS="${2:-dense conv}"
PYTHON="${PYTHON:-/usr/bin/python3}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
OUT="${PAIRED_OUT:-$ROOT/bench/paired-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
JAR="$ROOT/ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar"
[ -f "$JAR" ] || { echo "paired.sh: $JAR is missing: build first (mvn -DskipTests package -pl ae-examples -am)" >&2; exit 1; }
# each module's sources against its own jar (a module Maven did not rebuild keeps its older jar)
for m in "$ROOT"/ae-*/; do
  n=$(basename "$m")
  j="$ROOT/ae-examples/target/lib/$n-0.1.0-SNAPSHOT.jar"
  [ "$n" = ae-examples ] && j="$JAR"
  if [ -f "$j" ] && [ -n "$(find "$m/src/main" -newer "$j" -print -quit 2>/dev/null)" ]; then
    echo "paired.sh: warning: $n's sources changed after its last build; the jars are measured as they are" >&2
  fi
done
# the JVM as ./ae4j starts it, without ./ae4j's rebuild check (this script builds nothing)
ae4j() {
  java ${AE4J_JAVA_OPTS:--Xmx4g} -Dorg.bytedeco.javacpp.cachedir="${AE4J_NATIVE_CACHE:-$ROOT/.cache/javacpp}" \
    -cp "$JAR" io.github.ae4j.examples.cli.Ae4jCli "$@"
}
: > "$OUT"

load() { cut -d' ' -f1 /proc/loadavg; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores;" \
     "$(java -version 2>&1 | head -1); $("$PYTHON" -c 'import torch; print("torch", torch.__version__)')" >&2
for r in $(seq 1 "$ROUNDS"); do
  for a in $ARCHS; do
    l1=$(load)
    j=$(ae4j bench --arch "$a" --json | tail -1)
    l2=$(load)
    p=$("$PYTHON" "$ROOT/bench/pytorch_reference.py" --arch "$a" --json | tail -1)
    l3=$(load)
    echo "{\"round\": $r, \"arch\": \"$a\", \"load\": [$l1, $l2, $l3], \"ae4j\": $j, \"pytorch\": $p}" >> "$OUT"
    echo "round $r $a done (load $l1 / $l2 / $l3)" >&2
  done
done

"$PYTHON" - "$OUT" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
keys = [("train_rows_per_s", "train rows/s", True), ("train_first_epoch_rows_per_s", "1st epoch rows/s", True),
        ("score_rows_per_s", "score rows/s", True),
        ("latency_p50_ms", "p50 ms", False), ("latency_p99_ms", "p99 ms", False),
        ("peak_rss_mb", "peak RSS MB", False)]
print(f"raw runs: {sys.argv[1]}")
for arch in sorted({r["arch"] for r in rows}):
    rs = [r for r in rows if r["arch"] == arch]
    print(f"\n{arch}: {len(rs)} pairs; load (1-min avg before ae4j / before PyTorch / after): "
          + ", ".join("/".join(f"{x:.1f}" for x in r["load"]) for r in rs))
    lines = []
    for k, name, higher in keys:
        a = [r["ae4j"][k] for r in rs]
        p = [r["pytorch"][k] for r in rs]
        ratio = [x / y if y else float("nan") for x, y in zip(a, p)]
        fmt = (lambda v: f"{v:,.0f}") if higher or k == "peak_rss_mb" else (lambda v: f"{v:.3f}")
        lines.append((name, " ".join(fmt(v) for v in a), " ".join(fmt(v) for v in p),
                      " ".join(f"{v:.2f}" for v in ratio), f"{statistics.median(ratio):.2f}"))
    # columns as wide as their widest cell (5 pairs of 6-digit figures ran together at a fixed width)
    w = [max(len(c[i]) for c in lines + [("", "ae4j", "PyTorch", "ae4j/PyTorch", "median")]) for i in range(5)]
    print(f"{'':<{w[0]}}  {'ae4j':>{w[1]}}  {'PyTorch':>{w[2]}}  {'ae4j/PyTorch':>{w[3]}}  {'median':>{w[4]}}")
    for c in lines:
        print(f"{c[0]:<{w[0]}}  {c[1]:>{w[1]}}  {c[2]:>{w[2]}}  {c[3]:>{w[3]}}  {c[4]:>{w[4]}}")
print("\nratios: ae4j / PyTorch per pair (rows/s: higher is better for ae4j; ms and MB: lower is better)")
EOF
