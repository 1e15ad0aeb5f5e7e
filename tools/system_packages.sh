#!/usr/bin/env bash
# The Debian/Ubuntu packages toolbox needs, checked on this machine (one list for
# `make run`, `make test` and .ci/run).
#
#   tools/system_packages.sh run|test            exit 1 and say what to install if any is missing
#   tools/system_packages.sh --missing run|test  print the missing package names, one a line
#
# run:  WeasyPrint (Pango, HarfBuzz subsetting), fontconfig and the fonts the documents and
#       `toolbox doctor` expect (Liberation Sans, DejaVu Sans for symbols), Python's venv.
# test: additionally what the tests start or call: redis-server, PostgreSQL (initdb/pg_ctl),
#       pdftotext, Chromium (Playwright drives Debian's, never `playwright install`), Java
#       and npm for the Nu Html Checker (vnu.jar, installed by the Makefile).
set -uo pipefail

list_only=0
if [[ "${1:-}" == "--missing" ]]; then list_only=1; shift; fi
what="${1:-run}"
if [[ "$what" != run && "$what" != test ]]; then
  echo "usage: $0 [--missing] run|test" >&2
  exit 2
fi

missing=()
need_file() { [[ -e "$1" ]] || missing+=("$2"); }
need_command() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_library() {  # a shared library known to the dynamic linker
  # (grep without -q: an early exit would make ldconfig fail under pipefail)
  /sbin/ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null || missing+=("$2")
}

need_library "libpango-1.0.so.0" libpango-1.0-0
need_library "libpangoft2-1.0.so.0" libpangoft2-1.0-0
need_library "libharfbuzz-subset.so.0" libharfbuzz-subset0
need_command fc-match fontconfig
need_file /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf fonts-liberation2
need_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
"${PYTHON:-python3}" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)

if [[ "$what" == test ]]; then
  need_command redis-server redis-server
  need_command pdftotext poppler-utils
  need_file /usr/bin/chromium chromium
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  need_command java default-jre-headless
  need_command npm npm
fi

if ((list_only)); then
  ((${#missing[@]})) && printf '%s\n' "${missing[@]}"
  exit 0
fi
if ((${#missing[@]})); then
  echo "Es fehlen Debian-Pakete für \`make $what\`: ${missing[*]}" >&2
  echo "Bitte installieren: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
