#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu 22.04 or 24.04, "Base" or "Python" variant). It never installs into
# the system Python (PEP 668 forbids it on 24.04, and 22.04's is 3.10): the
# kit gets a virtual environment of a Python >= 3.11 of its own.
set -euo pipefail
AUTOGRADER="${AUTOGRADER:-/autograder}"
cd "$AUTOGRADER/source"

python_ok() { "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && python_ok "$candidate"; then PYTHON="$candidate"; break; fi
done
if [ -z "$PYTHON" ]; then
  # 22.04 ships 3.10 as python3; its archive has 3.11 (and 24.04's python3 may lack venv).
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3.11 python3.11-venv || apt-get install -y -qq python3-venv
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && python_ok "$candidate"; then PYTHON="$candidate"; break; fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "setup.sh: no Python >= 3.11 with venv could be installed" >&2
  exit 1
fi
echo "setup.sh: using $("$PYTHON" --version 2>&1) ($PYTHON)"

# bubblewrap: the strongest sandbox, where the container lets it start (the
# grade says which sandbox graded, and why a stronger one was passed over).
apt-get install -y -qq bubblewrap libseccomp2 >/dev/null 2>&1 || echo "setup.sh: bubblewrap not installed"

"$PYTHON" -m venv "$AUTOGRADER/venv"
"$AUTOGRADER/venv/bin/python" -m pip install --quiet --upgrade pip
"$AUTOGRADER/venv/bin/python" -m pip install --quiet ./kit
"$AUTOGRADER/venv/bin/python" -m grader --version
