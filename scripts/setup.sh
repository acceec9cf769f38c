#!/usr/bin/env bash
# Install everything jishi needs on a fresh Debian machine, skipping what is already there:
# - fonts-noto-cjk: a Chinese font for the print edition (PDF)
# - libharfbuzz-subset0: fast font subsetting for WeasyPrint (else ~15x slower PDFs)
# - chromium: the headless browser the tests read the pages with
# - poppler-utils: pdftoppm, for PDF previews and the crop-mark test
# - fontconfig, libpango: what WeasyPrint sets text with; fonts-liberation: the English typefaces
# - nginx-light: the real web server the tests serve the built site with (as a host would)
# - npm (when Node is missing): the browser tests' axe-core comes from the npm registry
# - the Python packages in pyproject.toml (with the test extras), installed editable
# - axe-core 4 into .cache/npm (ignored by git): the accessibility check of the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(fonts-noto-cjk libharfbuzz-subset0 chromium poppler-utils fontconfig fonts-liberation
          libpango-1.0-0 libpangoft2-1.0-0 nginx-light)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages: ${missing[*]}" >&2
  fi
fi

python -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e ".[test]"

if [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ]; then
  npm install --no-save --no-audit --no-fund --silent --prefix .cache/npm axe-core@4
fi
