#!/usr/bin/env bash
# Makes real PostgreSQL, Mosquitto and InfluxDB available for OnTap's integration tests and
# non-embedded mode, on this machine, without Docker.
#
#   infra/services.sh up       start (or reuse) the services; installs Debian's influxdb if missing
#   infra/services.sh down     stop the Mosquitto and InfluxDB instances this script started
#   infra/services.sh status   say what runs where
#   infra/services.sh env      print the environment file (KEY=value lines) for the tests
#
# Idempotent: a second `up` reuses what runs. Ports are picked once (free ports, or
# ONTAP_SERVICES_*_PORT) and remembered in the services dir.
# Services dir: $ONTAP_SERVICES_DIR, default <repo>/.ontap/services.
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
infra_dir="$repo_dir/infra"
services_dir=${ONTAP_SERVICES_DIR:-$repo_dir/.ontap/services}
env_file="$services_dir/services.env"
state_file="$services_dir/state.env"

pg_host=${ONTAP_SERVICES_PG_HOST:-127.0.0.1}
pg_port=${ONTAP_SERVICES_PG_PORT:-5432}
pg_user=${ONTAP_SERVICES_PG_USER:-postgres}
pg_db=${ONTAP_SERVICES_PG_DB:-ontap_test}

say() { printf '%s\n' "$*"; }
fail() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

random_secret() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() { # stop_pid <pid file> <name>: TERM, then wait until it is gone (so ports free up)
  pid_alive "$1" || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$1"
  say "$2 stopped"
}

wait_for() { # wait_for <seconds> <description> <command...>
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "$what did not answer within ${seconds}s"
    sleep 0.2
  done
}

apt_install() { # apt_install <package...>: only where we may (root, Debian)
  command -v apt-get >/dev/null || fail "missing $*; install it (Debian/Ubuntu: apt-get install $*)"
  is_root || fail "missing $*; run as root or install it: sudo apt-get install $*"
  say "installing $* from Debian's packages (apt-get update first)..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  # policy-rc.d keeps the package's init script from starting a system-wide instance.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || { [ $created_policy = 1 ] && rm -f "$policy"; fail "apt-get install $* failed"; }
  [ $created_policy = 1 ] && rm -f "$policy"
  return 0
}

load_state() {
  mkdir -p "$services_dir"
  chmod 755 "$services_dir" # mosquitto, dropped to its own user, must reach its data dir
  if [ -f "$state_file" ]; then
    # shellcheck disable=SC1090
    . "$state_file"
  fi
  MQTT_PORT=${MQTT_PORT:-${ONTAP_SERVICES_MQTT_PORT:-$(free_port)}}
  INFLUX_PORT=${INFLUX_PORT:-${ONTAP_SERVICES_INFLUX_PORT:-$(free_port)}}
  INFLUX_RPC_PORT=${INFLUX_RPC_PORT:-$(free_port)}
  MQTT_ADMIN_PASSWORD=${MQTT_ADMIN_PASSWORD:-$(random_secret)}
  MQTT_INGEST_PASSWORD=${MQTT_INGEST_PASSWORD:-$(random_secret)}
  cat >"$state_file" <<EOF
MQTT_PORT=$MQTT_PORT
INFLUX_PORT=$INFLUX_PORT
INFLUX_RPC_PORT=$INFLUX_RPC_PORT
MQTT_ADMIN_PASSWORD=$MQTT_ADMIN_PASSWORD
MQTT_INGEST_PASSWORD=$MQTT_INGEST_PASSWORD
EOF
  chmod 600 "$state_file"
}

# ---------------------------------------------------------------- PostgreSQL
postgres_up() {
  if ! pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; then
    if ! command -v pg_isready >/dev/null; then apt_install postgresql; fi
    if command -v pg_ctlcluster >/dev/null && is_root; then
      local version
      version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
      [ -n "$version" ] || fail "PostgreSQL is installed but has no cluster (pg_createcluster)"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    wait_for 30 "PostgreSQL on $pg_host:$pg_port" pg_isready -q -h "$pg_host" -p "$pg_port"
    say "postgres  started on $pg_host:$pg_port"
  fi
  psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -v dbname="$pg_db" \
    -f "$infra_dir/postgres/create-test-db.sql" >/dev/null \
    || fail "could not create database $pg_db as $pg_user on $pg_host:$pg_port"
  say "postgres  postgres://$pg_user@$pg_host:$pg_port/$pg_db"
}

# ---------------------------------------------------------------- Mosquitto
mosquitto_dir() { printf '%s/mosquitto' "$services_dir"; }

dynsec() { # dynsec <mosquitto_ctrl dynsec args...>
  mosquitto_ctrl -h 127.0.0.1 -p "$MQTT_PORT" -u ontap-admin -P "$MQTT_ADMIN_PASSWORD" dynsec "$@" 2>/dev/null
}

receive_denied_by_default() { dynsec getDefaultACLAccess | grep -Eq 'publishClientReceive *: *deny'; }

mosquitto_roles() { # OnTap's roles and defaults on the running broker; harmless to repeat
  # The ingest service may subscribe to (and receive) every meter topic, plain or shared.
  # mosquitto_ctrl exits 0 even on errors, so each step is repeated harmlessly on every start
  # and the result is checked by reading the client back.
  dynsec createRole ontap-ingest >/dev/null || true
  dynsec addRoleACL ontap-ingest subscribePattern 'ontap/v1/#' allow >/dev/null || true
  # Mosquitto checks a shared subscription against its whole filter, $share/<group>/ included.
  dynsec addRoleACL ontap-ingest subscribePattern '$share/+/ontap/v1/#' allow >/dev/null || true
  dynsec addRoleACL ontap-ingest publishClientReceive 'ontap/v1/#' allow >/dev/null || true
  dynsec createClient ontap-ingest -p "$MQTT_INGEST_PASSWORD" >/dev/null || true
  dynsec setClientPassword ontap-ingest "$MQTT_INGEST_PASSWORD" >/dev/null || true
  dynsec addClientRole ontap-ingest ontap-ingest >/dev/null || true
  # The admin clears an erased meter's retained status (an empty retained message on its status topic).
  dynsec addRoleACL admin publishClientSend 'ontap/v1/meters/+/status' allow >/dev/null || true
  # Nobody receives a message unless a role says so (Mosquitto's default is to allow): a meter that
  # somehow held a subscription, or a session, still gets nothing.
  # (mosquitto_ctrl 2.0.11's setDefaultACLAccess sends a command the plugin ignores: send it ourselves.)
  mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -u ontap-admin -P "$MQTT_ADMIN_PASSWORD" -q 1 -t '$CONTROL/dynamic-security/v1' \
    -m '{"commands":[{"command":"setDefaultACLAccess","acls":[{"acltype":"publishClientReceive","allow":false}]}]}' \
    || fail "could not set Mosquitto's default ACL access"
  # The plugin applies the command after acknowledging it, and a busy broker answers slowly: wait for it.
  wait_for 30 "Mosquitto's default ACL access to deny receiving (see $dir/mosquitto.log)" receive_denied_by_default
  dynsec getClient ontap-ingest | grep -q 'ontap-ingest' \
    || fail "Mosquitto dynamic security was not set up (see $dir/mosquitto.log)"
}

mosquitto_up() {
  command -v mosquitto >/dev/null || apt_install mosquitto mosquitto-clients
  command -v mosquitto_ctrl >/dev/null || apt_install mosquitto-clients
  local dir plugin
  dir=$(mosquitto_dir)
  plugin=$(ls /usr/lib/*/mosquitto_dynamic_security.so /usr/lib/mosquitto_dynamic_security.so 2>/dev/null | head -n 1 || true)
  [ -n "$plugin" ] || fail "mosquitto's dynamic-security plugin (mosquitto_dynamic_security.so) was not found"
  if pid_alive "$dir/mosquitto.pid" && port_open "$MQTT_PORT"; then
    mosquitto_roles
    say "mosquitto mqtt://127.0.0.1:$MQTT_PORT (already running)"
    return
  fi
  mkdir -p "$dir"
  sed -e "s|@PORT@|$MQTT_PORT|g" -e "s|@DATA_DIR@|$dir|g" -e "s|@DYNSEC_PLUGIN@|$plugin|g" \
    "$infra_dir/mosquitto/mosquitto.conf.template" >"$dir/mosquitto.conf"
  printf 'pid_file %s/mosquitto.pid\n' "$dir" >>"$dir/mosquitto.conf"
  if [ ! -f "$dir/dynamic-security.json" ]; then
    mosquitto_ctrl dynsec init "$dir/dynamic-security.json" ontap-admin "$MQTT_ADMIN_PASSWORD" >/dev/null
  fi
  # Run as root, mosquitto drops to its own user: it must own its data dir to save sessions and dynsec.
  if is_root && id mosquitto >/dev/null 2>&1; then chown -R mosquitto "$dir"; fi
  mosquitto -c "$dir/mosquitto.conf" -d
  wait_for 15 "Mosquitto on port $MQTT_PORT" port_open "$MQTT_PORT"
  mosquitto_roles
  say "mosquitto mqtt://127.0.0.1:$MQTT_PORT (started)"
}

mosquitto_down() {
  stop_pid "$(mosquitto_dir)/mosquitto.pid" mosquitto
}

# ---------------------------------------------------------------- InfluxDB
influx_dir() { printf '%s/influxdb' "$services_dir"; }

influx_ping() { curl -sf -o /dev/null "http://127.0.0.1:$INFLUX_PORT/ping"; }

influx_up() {
  command -v influxd >/dev/null || apt_install influxdb
  local dir
  dir=$(influx_dir)
  if pid_alive "$dir/influxd.pid" && influx_ping; then
    say "influxdb  http://127.0.0.1:$INFLUX_PORT (already running)"
    return
  fi
  mkdir -p "$dir"
  sed -e "s|@HTTP_PORT@|$INFLUX_PORT|g" -e "s|@RPC_PORT@|$INFLUX_RPC_PORT|g" -e "s|@DATA_DIR@|$dir|g" \
    "$infra_dir/influxdb/influxdb.conf.template" >"$dir/influxdb.conf"
  setsid nohup influxd -config "$dir/influxdb.conf" >"$dir/influxd.log" 2>&1 </dev/null &
  echo $! >"$dir/influxd.pid"
  wait_for 60 "InfluxDB on port $INFLUX_PORT (log: $dir/influxd.log)" influx_ping
  say "influxdb  http://127.0.0.1:$INFLUX_PORT (started)"
}

influx_down() {
  stop_pid "$(influx_dir)/influxd.pid" influxdb
}

write_env() {
  cat >"$env_file" <<EOF
ONTAP_TEST_DATABASE_URL=postgres://$pg_user@$pg_host:$pg_port/$pg_db
ONTAP_TEST_MQTT_URL=mqtt://127.0.0.1:$MQTT_PORT
ONTAP_TEST_MQTT_ADMIN_USER=ontap-admin
ONTAP_TEST_MQTT_ADMIN_PASSWORD=$MQTT_ADMIN_PASSWORD
ONTAP_TEST_MQTT_INGEST_USER=ontap-ingest
ONTAP_TEST_MQTT_INGEST_PASSWORD=$MQTT_INGEST_PASSWORD
ONTAP_TEST_INFLUX_URL=http://127.0.0.1:$INFLUX_PORT
ONTAP_TEST_MOSQUITTO_PID_FILE=$(mosquitto_dir)/mosquitto.pid
ONTAP_TEST_MOSQUITTO_CONF=$(mosquitto_dir)/mosquitto.conf
ONTAP_TEST_INFLUXD_PID_FILE=$(influx_dir)/influxd.pid
ONTAP_TEST_INFLUXD_CONF=$(influx_dir)/influxdb.conf
EOF
  chmod 600 "$env_file"
  say "env       $env_file"
}

status() {
  load_state
  if pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; then say "postgres  up   $pg_host:$pg_port"; else say "postgres  down $pg_host:$pg_port"; fi
  if pid_alive "$(mosquitto_dir)/mosquitto.pid"; then say "mosquitto up   127.0.0.1:$MQTT_PORT"; else say "mosquitto down"; fi
  if pid_alive "$(influx_dir)/influxd.pid" && influx_ping; then say "influxdb  up   127.0.0.1:$INFLUX_PORT"; else say "influxdb  down"; fi
}

# ---------------------------------------------------------------- Chromium (browser tests)
chromium_up() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  say "chromium  /usr/bin/chromium"
}

case "${1:-}" in
  up)
    load_state
    postgres_up
    mosquitto_up
    influx_up
    chromium_up
    write_env
    ;;
  down)
    load_state
    mosquitto_down
    influx_down
    ;;
  status) status ;;
  env)
    [ -f "$env_file" ] || fail "no services yet: run infra/services.sh up"
    cat "$env_file"
    ;;
  *)
    say "usage: infra/services.sh up|down|status|env"
    exit 2
    ;;
esac
