#!/usr/bin/env bash
# Runs the kernel tests (and the vector paths of training helpers) once per SIMD tier this machine can reach, and fails if any run fails:
#   default                                   the widest width the JIT accelerates (512 bits on AVX-512 machines)
#   DOTNET_EnableAVX512F=0 (+ EnableAVX512=0)  at most 256 bits (.NET 10 names the knob EnableAVX512 and keeps the old one)
#   DOTNET_EnableAVX2=0                        at most 128 bits
#   DOTNET_EnableHWIntrinsic=0                 no SIMD at all: the scalar instantiation of every kernel
# Every run also tests every narrower width in-process (SimdWidth.Current); SimdWidthTests checks that each switch
# really lowered the width. Usage: tools/test-simd-tiers.sh [--narrow-only] [extra dotnet test arguments, e.g. -c Release]
# --narrow-only skips the default tier (CI has just run it as part of the whole suite).
set -u
cd "$(dirname "$0")/.."

narrow_only=0
if [ "${1:-}" = "--narrow-only" ]; then narrow_only=1; shift; fi

project=test/Recurrent.Native.Tests
# The kernel tests, and the two training helpers with a vector path of their own (the gradient norm, dropout).
filter="FullyQualifiedName~Kernels|FullyQualifiedName~GlobalNormMatchesAScalarSum|FullyQualifiedName~MasksFollowTheNextDoubleRule"

dotnet build "$project" "$@" || exit 1

failed=()
run() {
    local name=$1; shift
    echo
    echo "=== $name ${*:-(no overrides)}"
    local start=$SECONDS
    if env "$@" dotnet test "$project" --no-build --filter "$filter" "${extra[@]}"; then
        echo "=== $name: passed in $((SECONDS - start)) s"
    else
        echo "=== $name: FAILED after $((SECONDS - start)) s"
        failed+=("$name")
    fi
}

extra=("$@")
[ $narrow_only = 1 ] || run default
run no-avx512 DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0
run no-avx2 DOTNET_EnableAVX2=0
run no-simd DOTNET_EnableHWIntrinsic=0

echo
if [ ${#failed[@]} -ne 0 ]; then
    echo "SIMD tiers failed: ${failed[*]}"
    exit 1
fi
echo "All SIMD tiers passed."
