#!/usr/bin/env bash
# Makes the virtual environment .venv-peers at the repository root with the peer tools that
# `xabar-eval` compares xabar against. Safe to run again: pip skips what is already installed.
#
#   bash scripts/setup-peers.sh
#
# To add a peer, add its PyPI package to PACKAGES below.
set -euo pipefail

PACKAGES=(
    lingua-language-detector # langid: lingua-py
    pycld2                   # langid: CLD2
    trafilatura              # extraction: trafilatura
    lxml_html_clean          # extraction: needed by trafilatura's lxml
    natasha                  # ner: natasha (Russian)
    numpy                    # scripts/ner/clusters.py (rebuilding the tagger's word clusters)
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-peers"

if ! command -v python3 >/dev/null 2>&1; then
    echo "setup-peers: python3 not found; install Python 3.9 or newer first" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "setup-peers: creating $venv"
    if ! python3 -m venv "$venv"; then
        echo "setup-peers: 'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2
        rm -rf "$venv"
        exit 1
    fi
fi

echo "setup-peers: installing ${PACKAGES[*]}"
if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}"; then
    echo "setup-peers: pip install failed; see the messages above" >&2
    exit 1
fi
echo "setup-peers: ready ($venv)"
