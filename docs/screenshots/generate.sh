#!/bin/sh
# Regenerate the README screenshots from a fresh demo book: sh docs/screenshots/generate.sh
set -e
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
# An enterprise account of the seed-1 demo with sub-accounts, people, risks and contracts.
ACCOUNT=${ACCOUNT:-"Keystone Beacon Systems LLC"}
DB=$(mktemp -d)/screenshots.db
$PY -m app demo --db "$DB" --accounts 200 --seed 1
shot() { $PY -m app snapshot --db "$DB" "$@"; }
shot --view portfolio --size 1366x768 --out docs/screenshots/today-1366.png
shot --view portfolio --size 1920x1080 --theme dark --out docs/screenshots/today-dark-1920.png
shot --view account --account "$ACCOUNT" --size 1366x768 --out docs/screenshots/account-overview-1366.png
shot --view account --account "$ACCOUNT" --size 1920x1080 --theme dark --out docs/screenshots/account-overview-dark-1920.png
shot --view account --account "$ACCOUNT" --tab "Renewals" --size 1366x768 --out docs/screenshots/account-contracts-1366.png
shot --view account --account "$ACCOUNT" --tab "Touchpoints" --size 1366x768 --theme dark --out docs/screenshots/account-touchpoints-dark-1366.png
shot --view account --account "$ACCOUNT" --tab "Health" --size 1920x1080 --out docs/screenshots/account-health-1920.png
shot --view account --account "$ACCOUNT" --tab "Stakeholders" --size 1366x768 --out docs/screenshots/account-stakeholders-1366.png
