#!/usr/bin/env bash
# Starts Debian's PostgreSQL for the backend tests if it can, and prints the server URL on its
# last line; prints nothing on stdout (and the reason on stderr) if it cannot.
set -u
say() { echo "postgres: $*" >&2; }
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian's postgresql package"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 </dev/null \
            || { say "apt-get install postgresql failed; PostgreSQL tests skipped"; exit 0; }
    else
        say "no PostgreSQL server and no way to install one; PostgreSQL tests skipped"
        exit 0
    fi
fi
if ! command -v pg_lsclusters >/dev/null; then
    say "no pg_lsclusters (not Debian's packaging); PostgreSQL tests skipped"
    exit 0
fi
cluster=$(pg_lsclusters -h | head -1)
if [ -z "$cluster" ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$ver" main >/dev/null 2>&1 || { say "cannot create a cluster; skipped"; exit 0; }
    cluster=$(pg_lsclusters -h | head -1)
fi
read -r ver name port status _ <<<"$cluster"
if [ "$status" != online ]; then
    pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || { say "cannot start cluster $ver/$name; skipped"; exit 0; }
fi
for _ in $(seq 1 30); do
    runuser -u postgres -- psql -p "$port" -qAtc "select 1" >/dev/null 2>&1 && break
    sleep 0.5
done
runuser -u postgres -- psql -p "$port" -qAtc \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'collm_test') THEN CREATE ROLE collm_test LOGIN CREATEDB PASSWORD 'collm_test'; END IF; END\$\$;" \
    >/dev/null 2>&1 || { say "cannot create the test role; skipped"; exit 0; }
for db in $(runuser -u postgres -- psql -p "$port" -qAtc "select datname from pg_database where datname like 'collm_t_%'" 2>/dev/null); do
    runuser -u postgres -- psql -p "$port" -qc "DROP DATABASE $db" >/dev/null 2>&1 || true
done
say "server $ver/$name on port $port"
echo "postgres://collm_test:collm_test@127.0.0.1:$port"
