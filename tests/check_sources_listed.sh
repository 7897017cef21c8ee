#!/usr/bin/env bash
# Every C++ source file in the tree is named in the CMakeLists.txt of its folder or of a parent
# folder (explicit source lists, no globs): a file that is not would silently not be built, and a
# test file that is not would silently not run.
#   usage: check_sources_listed.sh SOURCE_DIR
set -euo pipefail
cd "$1"
missing=0
while IFS= read -r file; do
  dir=$(dirname "$file")
  name=$(basename "$file")
  listed=0
  rel="$name"
  while :; do
    if [ -f "$dir/CMakeLists.txt" ] && grep -qE "(^|[[:space:]/(])${rel//./\\.}([[:space:])]|$)" "$dir/CMakeLists.txt"; then
      listed=1
      break
    fi
    [ "$dir" = "." ] && break
    rel="$(basename "$dir")/$rel"
    dir=$(dirname "$dir")
  done
  if [ "$listed" -eq 0 ]; then
    echo "not in any CMakeLists.txt: $file"
    missing=1
  fi
done < <(git ls-files '*.cpp' 2>/dev/null || find . -name '*.cpp' -not -path './build*')
exit "$missing"
