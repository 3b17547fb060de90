#!/usr/bin/env bash
# Serve the webapp, the Rasa server and the action server on localhost.
# Ctrl-C (or any exit) stops all three and their children.
set -u
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
WEB_PORT=${WEB_PORT:-5000}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
export WEBAPP_API_URL=${WEBAPP_API_URL:-http://$HOST:$WEB_PORT}
export RASA_URL=${RASA_URL:-http://$HOST:$RASA_PORT}
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
(cd bot && exec setsid .venv/bin/rasa run -i "$HOST" -p "$RASA_PORT" --enable-api \
   --model models --endpoints endpoints.yml --credentials credentials.yml \
   >../instance/logs/rasa.log 2>&1) &
pids+=($!)
(exec setsid .venv/bin/gunicorn --bind "$HOST:$WEB_PORT" --workers 2 --threads 4 \
   --access-logfile - 'webapp:create_app()' >instance/logs/webapp.log 2>&1) &
pids+=($!)

echo "Rester chez soi: http://localhost:$WEB_PORT  (Rasa on :$RASA_PORT, actions on :$ACTIONS_PORT)"
echo "logs in instance/logs/; Ctrl-C stops everything"
wait -n "${pids[@]}"
echo "a process stopped on its own; see instance/logs/" >&2
exit 1
