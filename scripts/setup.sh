#!/bin/bash
# Fresh Debian 12, as root: install everything, build and install the
# extension, start PostgreSQL 15 and MariaDB 10.11, and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh
bash scripts/demo.sh
