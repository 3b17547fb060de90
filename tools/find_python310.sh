#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter for the Rasa environment.
# Order: $PYTHON310; pyenv's 3.10.x (the bare shim refuses while 3.11 is
# global, so ask pyenv for the real binary); python3.10 on PATH.
set -u
works() { "$@" -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' 2>/dev/null; }
if [ -n "${PYTHON310:-}" ] && works "$PYTHON310"; then exit 0; fi
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls -1 "$root/versions" 2>/dev/null | grep -E '^3\.10\.[0-9]+$' | sort -t. -k3 -n -r); do
    if works "$root/versions/$v/bin/python3.10"; then exit 0; fi
    if PYENV_VERSION="$v" works python3.10; then exit 0; fi
  done
fi
if works python3.10; then exit 0; fi
echo "No Python 3.10 found. Rasa 3.6 needs it: install it (e.g. 'pyenv install 3.10.13', or 'apt-get install python3.10 python3.10-venv') or set PYTHON310=/path/to/python3.10." >&2
exit 1
