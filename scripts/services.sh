#!/usr/bin/env bash
# Make sure the local PostgreSQL (127.0.0.1:5432, user postgres, trust) and MariaDB (127.0.0.1:3306, root,
# no password) are up, and that both have the test database breachscan_test. Starts whichever is down,
# waits up to WAIT seconds (default 60), exits non-zero with a loud message if either is still absent.
set -u

WAIT="${WAIT:-60}"
DB=breachscan_test
fail=0

loud() { printf '\n*** %s ***\n\n' "$*" >&2; }

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
my_up() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'select 1' >/dev/null 2>&1; }

wait_for() { # name check-function
	local i
	for ((i = 0; i < WAIT; i++)); do
		"$2" && return 0
		sleep 1
	done
	return 1
}

# --- PostgreSQL
if ! pg_up; then
	echo "PostgreSQL is down: starting it"
	version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
	if [ -n "$version" ] && command -v pg_ctlcluster >/dev/null; then
		pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
	else
		loud "PostgreSQL is not installed (no /etc/postgresql or pg_ctlcluster)"
	fi
fi
if wait_for postgresql pg_up; then
	if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
		psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $DB" || fail=1
	fi
	echo "PostgreSQL is up on 127.0.0.1:5432 with database $DB"
else
	loud "PostgreSQL is NOT reachable on 127.0.0.1:5432 after ${WAIT}s"
	fail=1
fi

# --- MariaDB
if ! my_up; then
	echo "MariaDB is down: starting it"
	if [ -x /usr/sbin/mariadbd ]; then
		mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
		start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
	else
		loud "MariaDB is not installed (/usr/sbin/mariadbd missing)"
	fi
fi
if wait_for mariadb my_up; then
	mariadb -h 127.0.0.1 -P 3306 -u root -e "CREATE DATABASE IF NOT EXISTS $DB" || fail=1
	echo "MariaDB is up on 127.0.0.1:3306 with database $DB"
else
	loud "MariaDB is NOT reachable on 127.0.0.1:3306 after ${WAIT}s"
	fail=1
fi

if [ "$fail" -ne 0 ]; then
	loud "services.sh: database services missing - database tests cannot run"
	exit 1
fi
