#!/usr/bin/env bash
# Creates the project-local venv with the pinned AWS emulator (moto server) and cfn-lint.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r test/requirements.txt
