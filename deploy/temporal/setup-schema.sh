#!/bin/sh
# Temporal's persistence and visibility schemas on the postgres service, for temporalio/server.
# `create` fails when the database exists, which is fine on a second start; setup-schema -v 0.0
# only lays the version table; update-schema applies whatever versions are newer than the stored one.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}"
export SQL_PASSWORD="$POSTGRES_PWD"
schemas=/etc/temporal/schema/postgresql/v12

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"
}

for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*}
  dir=${db#*:}
  sql --db "$name" create || echo "database $name exists"
  sql --db "$name" setup-schema -v 0.0
  sql --db "$name" update-schema -d "$schemas/$dir/versioned"
done
echo "Temporal schemas are current"
