"""Minimal Flask app: the baseline the real app's throughput is compared against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
