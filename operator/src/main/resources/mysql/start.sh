#!/bin/sh
# Starts the database server of a TeachTrack MySQL pod, on the images built by `make images` and on the official
# mysql and mariadb images alike (no image entrypoint is used):
#  - an empty data directory is initialised here (mysqld --initialize-insecure / mariadb-install-db);
#  - the root accounts get the password of the mounted Secret on every start, through a pipe the server reads
#    once: the password is never an argument, an environment variable, a file on disk or a log line;
#  - the server always starts read-only with replication stopped: the operator decides which server becomes
#    the writable primary and where each replica replicates from.
#  - each data directory gets a server id of its own, chosen at random when it is initialised and kept with it: a
#    replica skips every event that carries its own server id, so a pod rebuilt on an empty volume under the id of
#    its earlier incarnation would silently skip what that incarnation wrote as a primary;
# Environment: TEACHTRACK_DB_ENGINE (MySQL or MariaDB), SERVER_ID_BASE, BINLOG_EXPIRE_SECONDS, HOSTNAME (the pod
# name; SERVER_ID_BASE plus its ordinal is the server id of a data directory initialised before ids were random).
# Extra arguments go to the server.
set -eu

CONFIG=/etc/teachtrack/my.cnf
DATA=/var/lib/mysql/data
SERVER_ID_FILE=teachtrack-server-id
PASSWORD_FILE=/etc/teachtrack-secret/mysql-root-password
INIT_PIPE=/var/run/mysqld/teachtrack-init.sql

log() { echo "[teachtrack-start] $*" >&2; }

case "${TEACHTRACK_DB_ENGINE:-}" in
  MySQL) daemon=mysqld ;;
  MariaDB) daemon=mariadbd ;;
  *) log "TEACHTRACK_DB_ENGINE must be MySQL or MariaDB, not '${TEACHTRACK_DB_ENGINE:-}'"; exit 1 ;;
esac
ordinal="${HOSTNAME##*-}"
case "$ordinal" in ''|*[!0-9]*) log "cannot read the pod ordinal from HOSTNAME='${HOSTNAME:-}'"; exit 1 ;; esac
[ -r "$PASSWORD_FILE" ] || { log "the root password file $PASSWORD_FILE is missing or unreadable"; exit 1; }

if [ ! -d "$DATA/mysql" ]; then
  log "empty data directory: initialising $DATA for $TEACHTRACK_DB_ENGINE"
  rm -rf "$DATA.init"
  mkdir -p "$DATA.init"
  case "$TEACHTRACK_DB_ENGINE" in
    MySQL) mysqld --no-defaults --initialize-insecure --datadir="$DATA.init" --tmpdir=/tmp ;;
    MariaDB) mariadb-install-db --no-defaults --datadir="$DATA.init" --tmpdir=/tmp --auth-root-authentication-method=normal \
               --skip-test-db --skip-name-resolve --force >/dev/null ;;
  esac
  # 1..4294967295, the servers' range; two of one TeachTrack sharing one is a chance of about one in a billion.
  random_id=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  echo "$(( random_id == 0 ? 1 : random_id ))" > "$DATA.init/$SERVER_ID_FILE"
  # Renamed only once complete, so a pod that dies while initialising starts over.
  mv "$DATA.init" "$DATA"
  log "data directory initialised"
fi

[ -s "$DATA/$SERVER_ID_FILE" ] || echo "$((SERVER_ID_BASE + ordinal))" > "$DATA/$SERVER_ID_FILE"
server_id=$(cat "$DATA/$SERVER_ID_FILE")
case "$server_id" in ''|*[!0-9]*) log "$DATA/$SERVER_ID_FILE does not hold a server id"; exit 1 ;; esac

# Not binary-logged: each server keeps its own root accounts, and a replica gains no transaction of its own.
rm -f "$INIT_PIPE"
mkfifo -m 600 "$INIT_PIPE"
(
  password="$(sed -e 's/\\/\\\\/g' -e "s/'/''/g" "$PASSWORD_FILE")"
  {
    echo "SET SESSION sql_log_bin = 0;"
    # Accounts an installer may have made that would shadow 'root'@'%' for clients over TCP.
    echo "DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', 'root'@'${HOSTNAME}';"
    for host in localhost '%'; do
      echo "CREATE USER IF NOT EXISTS 'root'@'$host' IDENTIFIED BY '$password';"
      echo "ALTER USER 'root'@'$host' IDENTIFIED BY '$password';"
      echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'$host' WITH GRANT OPTION;"
    done
  } > "$INIT_PIPE"
  rm -f "$INIT_PIPE"
) &

log "starting $daemon with server id $server_id, read-only"
exec "$daemon" --defaults-file="$CONFIG" --server-id="$server_id" --init-file="$INIT_PIPE" \
  --binlog-expire-logs-seconds="${BINLOG_EXPIRE_SECONDS:-604800}" "$@"
