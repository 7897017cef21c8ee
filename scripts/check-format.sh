#!/usr/bin/env bash
# Fails if any tracked C++ file differs from what clang-format 14 makes of it under the
# repository's .clang-format; lists the offending files and the first lines of their diff.
#   usage: scripts/check-format.sh [FILE...]      (default: every tracked *.h, *.cpp)
# Fix with `clang-format -i FILE` (or scripts/format.sh for the whole tree). ctest runs this
# (test `format`), so CI fails on a formatting diff.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
  echo "check-format: clang-format 14 not found (scripts/setup.sh installs it)" >&2
  exit 2
fi
if ! "$format" --version | grep -q "version 14\."; then
  echo "check-format: $("$format" --version) is not clang-format 14; other versions format differently" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.h' '*.cpp')
fi
failed=()
for f in "${files[@]}"; do
  "$format" --dry-run -Werror "$f" >/dev/null 2>&1 || failed+=("$f")
done
if [ ${#failed[@]} -eq 0 ]; then
  echo "check-format: ${#files[@]} files formatted"
  exit 0
fi
for f in "${failed[@]}"; do
  echo "== $f"
  diff -u "$f" <("$format" "$f") | sed -n '3,12p' || true
done
echo "check-format: ${#failed[@]} of ${#files[@]} files need clang-format -i" >&2
exit 1
