#!/usr/bin/env bash
# Serve the webapp, the Rasa server and the action server on localhost.
# Ctrl-C (or any exit) stops all three and their children.
set -u
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
WEB_PORT=${WEB_PORT:-5000}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
# One Rasa process answers one message at a time; two share the load of many
# conversations and still fit the 1.5 GB memory budget (docs/performance.md).
RASA_PROCESSES=${RASA_PROCESSES:-2}
rasa_ports=()
for i in $(seq 0 $((RASA_PROCESSES - 1))); do rasa_ports+=($((RASA_PORT + i))); done
export WEBAPP_API_URL=${WEBAPP_API_URL:-http://$HOST:$WEB_PORT}
if [ -z "${RASA_URL:-}" ]; then
  RASA_URL=$(printf "http://$HOST:%s," "${rasa_ports[@]}"); RASA_URL=${RASA_URL%,}
fi
export RASA_URL
# How long an idle conversation is kept: the site's setting (webapp/config.py),
# read by Rasa's in-memory tracker store too (bot/addons/idle_tracker_store.py).
if [ -z "${CHAT_RETENTION_HOURS:-}" ]; then
  CHAT_RETENTION_HOURS=$(.venv/bin/python -c 'from webapp.config import Config; print(Config.CHAT_RETENTION_HOURS)')
fi
export CHAT_RETENTION_HOURS
mkdir -p instance/logs
pids=()

stop_all() {
  trap - INT TERM EXIT
  echo; echo "stopping…"
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  echo "stopped"
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

# Each process leads its own process group so that the whole group is stopped.
(cd bot && SANIC_HOST=$HOST exec setsid .venv/bin/python -m rasa_sdk --actions actions -p "$ACTIONS_PORT" \
   >../instance/logs/actions.log 2>&1) &
pids+=($!)
# Rasa's HTTP API stays off: the site needs only the REST channel, and the
# API, without a token, would let any local process read a household's
# conversation or replace the model.
for port in "${rasa_ports[@]}"; do
  (cd bot && exec setsid .venv/bin/python scripts/rasa_server.py run -i "$HOST" -p "$port" \
     --model models --endpoints endpoints.yml --credentials credentials.yml \
     >"../instance/logs/rasa-$port.log" 2>&1) &
  pids+=($!)
done
# Workers, threads and the heartbeat file's place: webapp/gunicorn_conf.py.
(exec setsid .venv/bin/gunicorn --config python:webapp.gunicorn_conf --bind "$HOST:$WEB_PORT" \
   --access-logfile - 'webapp:create_app()' >instance/logs/webapp.log 2>&1) &
pids+=($!)

echo "Rester chez soi: http://localhost:$WEB_PORT  (Rasa on ${rasa_ports[*]}, actions on :$ACTIONS_PORT)"
echo "logs in instance/logs/; Ctrl-C stops everything"
wait -n "${pids[@]}"
echo "a process stopped on its own; see instance/logs/" >&2
exit 1
