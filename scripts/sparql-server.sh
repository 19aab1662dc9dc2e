#!/usr/bin/env bash
# Start a real SPARQL server over one RDF file, for trying kg against it by hand:
#   scripts/sparql-server.sh {oxigraph|virtuoso} FILE [PORT]
# Prints the endpoint URL (give it to `kg ... --sparql-endpoint URL`) and serves until Ctrl-C;
# the database lives in a temporary folder removed on exit.
#   oxigraph: the `oxigraph` program of PyPI's oxigraph (in the test extras: make .venv/.installed)
#   virtuoso: virtuoso-t and isql-vt of Debian's virtuoso-opensource-7-bin (make system-deps)
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 {oxigraph|virtuoso} FILE [PORT]" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="$here/../.venv/bin/python"
[ -x "$python" ] || python="$(command -v python3)"
args=("$1" "$2")
[ $# -eq 3 ] && args+=(--port "$3")
exec "$python" "$here/sparql_server.py" "${args[@]}"
