#!/usr/bin/env python3
"""taskboard: a small task board with a calendar feed, written for cachecheck's tests.

It is unlike the reference server in every way a target spec can describe
(see taskboard.yaml beside it): Python's standard library (http.server); a bearer token from
POST /api/v2/session instead of cookies and CSRF; the feed at /api/v2/board with
`from`/`to` date-times ending in Z and an INCLUSIVE end, filters `kind`/`state`
with its own names ("epic", "doing"), events inside a JSON envelope with ids like
"tb:17"; integer ids; PATCH to edit; DELETE answering 204 with no body and taking
the subtree; 410 for a deleted task; owners and assignees only see their tasks.

Its feed has a server-side cache (TTL --ttl seconds, real clock). --mode picks
how writes invalidate it:
  correct     every write drops every cached feed, and a fill computed before a
              write is not stored (a generation counter): always fresh;
  actor-only  a write drops only the acting user's cached feeds (the bug: the other
              users who see the task keep their stale feeds until the TTL).

Run: taskboard.py [--port 0] [--mode correct|actor-only] [--ttl 30]
It prints "taskboard listening on http://127.0.0.1:PORT" once it accepts requests.
No reset endpoint: the harness works among its data, in its own namespace.
POST /api/v2/cache/flush empties the feed cache (the spec's flush hook).
"""
import argparse
import datetime
import itertools
import secrets
import sys
import threading
import time

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

USERS = {"ann": (101, "ann-pw"), "ben": (102, "ben-pw"), "cat": (103, "cat-pw")}
KINDS = {"epic", "sub-epic", "story", "sub-story", "task", "subtask"}
STATES = {"todo", "doing", "risky", "stuck", "done", "dropped"}


def parse_day(text, name):
    """A date or a date-time (with Z or an offset) -> its calendar date; ValueError names the field."""
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except (TypeError, ValueError):
        raise ValueError(f"{name}: not a date or date-time: {text!r}")


class Board:
    def __init__(self, mode, ttl):
        self.mode, self.ttl = mode, ttl
        self.lock = threading.Lock()
        self.tasks = {}        # id -> dict
        self.gone = set()      # deleted ids (410)
        self.ids = itertools.count(1)
        self.tokens = {}       # token -> user id
        self.cache = {}        # (user, from, to, kind, state) -> (expires, events)
        self.generation = 0

    # ---- the feed cache -------------------------------------------------------
    def invalidate(self, actor):
        self.generation += 1
        if self.mode == "actor-only":
            self.cache = {k: v for k, v in self.cache.items() if k[0] != actor}
        else:
            self.cache.clear()

    def feed(self, user, start, end, kind, state):
        key = (user, start, end, kind, state)
        now = time.monotonic()
        with self.lock:
            hit = self.cache.get(key)
            if hit and hit[0] > now:
                return hit[1], "HIT"
            generation = self.generation
            events = [self.event(t) for t in sorted(self.tasks.values(), key=lambda t: (t["begins"], t["id"]))
                      if self.selects(t, user, start, end, kind, state)]
        with self.lock:
            if self.mode == "actor-only" or generation == self.generation:
                self.cache[key] = (now + self.ttl, events)
        return events, "MISS"

    @staticmethod
    def selects(t, user, start, end, kind, state):
        if not t["on_calendar"] or (t["owner"] != user and user not in t["assignees"]):
            return False
        if kind and t["kind"] != kind or state and t["state"] != state:
            return False
        return (end is None or t["begins"] <= end) and (start is None or t["ends"] >= start)  # inclusive end

    @staticmethod
    def event(t):
        return {"ref": f"tb:{t['id']}", "label": t["label"], "kind": t["kind"], "state": t["state"],
                "begins": t["begins"].isoformat() + "T00:00:00Z", "ends": t["ends"].isoformat() + "T00:00:00Z",
                "parent_ref": f"tb:{t['parent']}" if t["parent"] else None}

    @staticmethod
    def public(t):
        out = dict(t)
        out["begins"], out["ends"] = t["begins"].isoformat(), t["ends"].isoformat()
        return out


def task_fields(body, partial):
    """The task fields of a create/edit body, checked; ValueError names the bad one."""
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    out = {}
    if "label" in body or not partial:
        if not isinstance(body.get("label"), str) or not body["label"]:
            raise ValueError("label: a non-empty text is required")
        out["label"] = body["label"]
    for name, allowed in (("kind", KINDS), ("state", STATES)):
        if name in body or not partial:
            if body.get(name) not in allowed:
                raise ValueError(f"{name}: one of {sorted(allowed)}")
            out[name] = body[name]
    for name in ("begins", "ends"):
        if name in body or not partial:
            out[name] = parse_day(body.get(name), name)
    if "parent" in body and body["parent"] is not None:
        parent = body["parent"]  # a number, or its text ("17")
        if isinstance(parent, bool) or not (isinstance(parent, int) or isinstance(parent, str) and parent.isdigit()):
            raise ValueError("parent: a task id")
        out["parent"] = int(parent)
    if "assignees" in body:
        if not isinstance(body["assignees"], list) or not all(
                isinstance(a, int) and not isinstance(a, bool) for a in body["assignees"]):
            raise ValueError("assignees: a list of user ids")
        out["assignees"] = sorted(set(body["assignees"]))
    if "on_calendar" in body:
        if not isinstance(body["on_calendar"], bool):
            raise ValueError("on_calendar: true or false")
        out["on_calendar"] = body["on_calendar"]
    return out


class Handler(BaseHTTPRequestHandler):
    """One request: routes by method and path; every answer is JSON (or 204) with a length."""
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed-ACK stalls)
    board = None                   # set by main()

    def log_message(self, *args):  # no line per request
        pass

    # ---- plumbing ---------------------------------------------------------------
    def answer(self, status, doc=None, headers=()):
        body = b"" if doc is None else json.dumps(doc).encode()
        self.send_response(status)
        if doc is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def problem(self, status, message):
        self.answer(status, {"problem": message})

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def user(self):
        auth = self.headers.get("Authorization", "")
        return self.board.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None

    def route(self, method):
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        body = self.body() if method in ("POST", "PATCH") else None
        if parts[:2] != ["api", "v2"]:
            return self.problem(404, "no such page")
        rest = parts[2:]
        if rest == ["session"] and method == "POST":
            return self.login(body)
        if rest == ["cache", "flush"] and method == "POST":  # an operator's endpoint: empty the feed cache
            with self.board.lock:
                flushed = len(self.board.cache)
                self.board.cache.clear()
                self.board.generation += 1
            return self.answer(200, {"flushed": flushed})
        if rest == ["stats"] and method == "GET":  # for the tests: how many tasks exist, hidden ones too
            with self.board.lock:
                return self.answer(200, {"tasks": len(self.board.tasks)})
        user = self.user()
        if rest in (["board"], ["tasks"]) or (len(rest) == 2 and rest[0] == "tasks"):
            if user is None:
                return self.problem(401, "a bearer token is required")
        if rest == ["board"] and method == "GET":
            return self.feed(user, parse_qs(url.query))
        if rest == ["tasks"] and method == "POST":
            return self.create(user, body)
        if len(rest) == 2 and rest[0] == "tasks":
            if not rest[1].isdigit():
                return self.problem(404, "no such task")
            task_id = int(rest[1])
            handler = {"GET": self.detail, "PATCH": self.edit, "DELETE": self.delete}.get(method)
            if handler:
                return handler(user, task_id, body)
            return self.problem(405, "method not allowed")
        return self.problem(404, "no such page")

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PATCH(self):
        self.route("PATCH")

    def do_DELETE(self):
        self.route("DELETE")

    # ---- endpoints --------------------------------------------------------------
    def login(self, body):
        body = body if isinstance(body, dict) else {}
        user = USERS.get(body.get("login"))
        if not user or body.get("secret") != user[1]:
            return self.problem(401, "wrong login or secret")
        token = secrets.token_hex(16)
        with self.board.lock:
            self.board.tokens[token] = user[0]
        self.answer(200, {"token": token, "user": user[0]})

    def feed(self, user, args):
        one = {k: v[0] for k, v in args.items()}
        try:
            start = parse_day(one["from"], "from") if "from" in one else None
            end = parse_day(one["to"], "to") if "to" in one else None
        except ValueError as e:
            return self.problem(400, str(e))
        if start and end and start > end:
            return self.problem(400, "from is after to")
        kind, state = one.get("kind"), one.get("state")
        if kind and kind not in KINDS or state and state not in STATES:
            return self.problem(400, "unknown kind or state")
        events, how = self.board.feed(user, start, end, kind, state)
        self.answer(200, {"data": {"items": events, "count": len(events)}},
                    [("Cache-Control", "no-store"), ("X-Board-Cache", how)])

    def create(self, user, body):
        board = self.board
        try:
            f = task_fields(body, partial=False)
        except ValueError as e:
            return self.problem(400, str(e))
        if f["begins"] > f["ends"]:
            return self.problem(400, "begins is after ends")
        with board.lock:
            if f.get("parent") and f["parent"] not in board.tasks:
                return self.problem(400, "parent: no such task")
            task = {"id": next(board.ids), "parent": None, "assignees": [], "on_calendar": True, **f, "owner": user}
            task["assignees"] = [a for a in task["assignees"] if a != user]
            board.tasks[task["id"]] = task
            board.invalidate(user)
            doc = {"task": Board.public(task)}
        self.answer(201, doc)

    def writable(self, task_id, user):
        task = self.board.tasks.get(task_id)
        if task is None:
            return None, (410 if task_id in self.board.gone else 404, "no such task")
        if user != task["owner"] and user not in task["assignees"]:
            return None, (403, "only its owner and assignees may change it")
        return task, None

    def edit(self, user, task_id, body):
        board = self.board
        try:
            f = task_fields(body, partial=True)
        except ValueError as e:
            return self.problem(400, str(e))
        f.pop("parent", None)
        with board.lock:
            task, problem = self.writable(task_id, user)
            if not problem:
                changed = {**task, **f}
                if changed["begins"] > changed["ends"]:
                    problem = (400, "begins is after ends")
                else:
                    changed["assignees"] = [a for a in changed["assignees"] if a != changed["owner"]]
                    board.tasks[task_id] = changed
                    board.invalidate(user)
                    doc = {"task": Board.public(changed)}
        if problem:
            return self.problem(*problem)
        self.answer(200, doc)

    def delete(self, user, task_id, _body):
        board = self.board
        with board.lock:
            _, problem = self.writable(task_id, user)
            if not problem:
                doomed = [task_id]
                for t in doomed:  # the subtree
                    doomed += [c["id"] for c in board.tasks.values() if c["parent"] == t and c["id"] not in doomed]
                for t in doomed:
                    del board.tasks[t]
                    board.gone.add(t)
                board.invalidate(user)
        if problem:
            return self.problem(*problem)
        self.answer(204)

    def detail(self, _user, task_id, _body):
        board = self.board
        with board.lock:
            task = board.tasks.get(task_id)
            doc = None if task is None else {"task": Board.public(task)}
            status = 200 if task else (410 if task_id in board.gone else 404)
        if doc is None:
            return self.problem(status, "no such task")
        self.answer(200, doc)


def main():
    parser = argparse.ArgumentParser(description="taskboard: a test application for cachecheck")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", choices=["correct", "actor-only"], default="correct")
    parser.add_argument("--ttl", type=float, default=30.0)
    args = parser.parse_args()
    Handler.board = Board(args.mode, args.ttl)
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"taskboard listening on http://127.0.0.1:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
