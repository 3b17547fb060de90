"""gunicorn's settings for this site: `make run` (tools/run_all.sh), the chat
benchmark and the production line of the README all load them
(`gunicorn -c python:webapp.gunicorn_conf 'webapp:create_app()'`); options
given on the command line take precedence.
"""
import os

workers = 2
worker_class = "gthread"
# A chat message holds its thread while Rasa answers: with fewer threads than
# messages in flight, some wait a whole Rasa turn for a thread
# (bench/chat_bench.py, p95 at 20 conversations, three runs each: 307 ms
# with 8 threads, 274 ms with 24; docs/performance.md).
threads = 24
# Each worker touches a heartbeat file on every turn of its loop. In /tmp on
# a disk that is a journaled metadata update; in shared memory it is not:
# 0.07 to 0.1 ms less CPU per request for an empty app, three runs each.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def post_worker_init(worker):
    """Leave what the app loaded out of the garbage collector's full collections.

    A worker holds about 130,000 objects the collector tracks once the app is
    loaded (Flask, SQLAlchemy, Babel's catalogues, the directory). A full
    collection walks all of them: 70 to 120 ms here, holding the GIL, so
    every request of that worker waits. They live as long as the worker:
    frozen, they are no longer walked. Rasa's processes do the same
    (bot/scripts/rasa_server.py).
    """
    import gc

    gc.collect()
    gc.freeze()
