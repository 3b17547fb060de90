#!/usr/bin/env bash
# Print the path of a Python >= 3.11 for the webapp environment.
set -u
for cand in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
  [ -n "$cand" ] || continue
  if path=$("$cand" -c 'import sys; assert sys.version_info >= (3, 11); print(sys.executable)' 2>/dev/null); then
    echo "$path"; exit 0
  fi
done
echo "No Python 3.11 or newer found: install one (e.g. 'apt-get install python3') or set PYTHON=/path/to/python3.11." >&2
exit 1
