#!/usr/bin/env bash
# Smoke test of the GPU build on a machine WITHOUT a usable GPU (this is what CI has):
#   1. builds the GPU jar (./mvnw -Pcuda package, into target-cuda/; target/ is left alone);
#   2. `embed --provider auto` on it runs on the CPU, exit 0, with exactly one WARN line that says why;
#   3. the same with a fake driver library on LD_LIBRARY_PATH: the warning names every missing CUDA 12 /
#      cuDNN 9 library (the "driver installed, CUDA missing" case);
#   4. `embed --provider cuda` exits 1 with one line on stderr, no stack trace, no JSON;
#   5. the GPU build's vectors (on the CPU) equal the CPU build's (target/koclip-search.jar, built if missing).
# On a machine where CUDA does work, steps 2-4 fail on purpose: use gpu_check.sh there.
#   src/tools/bench/cuda_smoke.sh            MAVEN_OFFLINE=1 adds -o to the Maven builds
# Prints "cuda smoke: N passed, 0 failed" and exits 0 when every check passed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
offline=${MAVEN_OFFLINE:+-o}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, counts and prints the result
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}
# Lines a command printed on stderr, without the JVM's own "WARNING: Using incubator modules" notice.
errors() { grep -v '^WARNING: ' "$1" || true; }

start=$(date +%s)
[ -f target/koclip-search.jar ] || ./mvnw -q $offline package -DskipTests -Dspotless.check.skip=true
./mvnw -q $offline -Pcuda package -DskipTests -Dspotless.check.skip=true
echo "GPU jar built in $(($(date +%s) - start)) s: $(du -h target-cuda/koclip-search.jar | cut -f1)"
gpu() { KOCLIP_JAR="$root/target-cuda/koclip-search.jar" bin/koclip-search "$@"; }
cpu() { KOCLIP_JAR="$root/target/koclip-search.jar" bin/koclip-search "$@"; }
image="$(find src/test/resources/demo/heldout -type f | sort | sed -n 1p)"
inputs=(--text "빨간 원" --text "a red circle" --image "$image")

set +e
gpu embed --provider auto "${inputs[@]}" >"$work/auto.json" 2>"$work/auto.err"
auto_exit=$?
mkdir -p "$work/driver" && : >"$work/driver/libcuda.so.1"
LD_LIBRARY_PATH="$work/driver" gpu embed --provider auto --text "빨간 원" >"$work/libs.json" 2>"$work/libs.err"
libs_exit=$?
gpu embed --provider cuda "${inputs[@]}" >"$work/cuda.json" 2>"$work/cuda.err"
cuda_exit=$?
cpu embed --provider cpu "${inputs[@]}" >"$work/cpu.json" 2>"$work/cpu.err"
cpu_exit=$?
set -e
echo "--- auto (stderr):"; errors "$work/auto.err"
echo "--- auto, driver but no CUDA libraries (stderr):"; errors "$work/libs.err"
echo "--- cuda (stderr):"; errors "$work/cuda.err"
echo "---"

check "auto exits 0" test "$auto_exit" -eq 0
check "auto warns exactly once" test "$(errors "$work/auto.err" | grep -c ' WARN ')" -eq 1
check "auto's warning says CPU and why" grep -q 'WARN .*execution provider auto: running on CPU because .*; to use the GPU, ' "$work/auto.err"
check "auto's JSON says provider cpu" test "$(grep -c '"provider":"cpu"' "$work/auto.json")" -eq 3
check "no CUDA libraries: exit 0" test "$libs_exit" -eq 0
check "no CUDA libraries: the warning names them and cuDNN 9" grep -q 'libcudart.so.12 (CUDA 12.x runtime), libcublas.so.12 (CUDA 12.x cuBLAS), libcublasLt.so.12 (CUDA 12.x cuBLAS), libcurand.so.10 (CUDA 12.x cuRAND), libcudnn.so.9 (cuDNN 9) not found' "$work/libs.err"
check "cuda exits 1" test "$cuda_exit" -eq 1
check "cuda prints one line on stderr" test "$(errors "$work/cuda.err" | wc -l)" -eq 1
check "cuda's line names the problem and the versions" grep -q '^embed: execution provider cuda is not usable: .*\(CUDA 12.x\|525.60.13\)' "$work/cuda.err"
check "cuda prints no stack trace" bash -c "! grep -qE '^\s+at |Exception' '$work/cuda.err'"
check "cuda prints no JSON" test ! -s "$work/cuda.json"
check "cpu build exits 0" test "$cpu_exit" -eq 0
check "GPU build on CPU = CPU build (vectors)" /usr/bin/python3 - "$work/cpu.json" "$work/auto.json" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.startswith("{")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.startswith("{")]
assert len(a) == len(b) == 3, (len(a), len(b))
worst = 0.0
for x, y in zip(a, b):
    assert x["input"] == y["input"] and len(x["vector"]) == len(y["vector"]), (x["input"], y["input"])
    worst = max(worst, max(abs(p - q) for p, q in zip(x["vector"], y["vector"])))
print(f"     max |cpu - gpu build| over {len(a)} vectors of {len(a[0]['vector'])}: {worst:.3g}")
sys.exit(0 if worst <= 1e-6 else 1)
EOF
echo "cuda smoke: $passed passed, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" -eq 0 ]
