"""The framework's ceiling: a bare Flask "hello", served exactly as the app is (bench/http.py)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
