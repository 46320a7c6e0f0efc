#!/usr/bin/env python3
"""Latency of `sds lsp` diagnostics after a change (issue 16).

Starts the server (target/release/sds lsp) as an editor would, over stdio,
opens one generated report of about 190 results (benches/gen_reports.py),
then sends ROUNDS full-document changes, each editing one measurement, and
times every change from the moment its didChange is written to the moment
the publishDiagnostics for that document version is read. Prints the
median, 95th percentile and maximum, in milliseconds, and the server's
CPU time per change (from /proc), which other processes on the machine do
not inflate.

usage: benches/lsp_latency.py [--rounds 200] [--sds target/release/sds]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def send(p, msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def read(p):
    length = None
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("the server closed its output")
        line = line.strip()
        if not line:
            break
        k, _, v = line.partition(b":")
        if k.lower() == b"content-length":
            length = int(v)
    return json.loads(p.stdout.read(length))


def wait_diagnostics(p, version):
    while True:
        m = read(p)
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version:
            return m["params"]["diagnostics"]


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc (Linux)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--sds", default=os.path.join(ROOT, "target/release/sds"))
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sds-lsp-bench-")
    subprocess.run([sys.executable, os.path.join(ROOT, "benches/gen_reports.py"), "--count", "8", "--out", tmp],
                   check=True, stdout=subprocess.DEVNULL)
    # The generated report with the most results (the generator leaves a gap in some).
    def results_of(t):
        return t.count("\n  - item:") + t.count("\n- item:")
    reports = sorted(os.path.join(d, f) for d, _, fs in os.walk(tmp) for f in fs if f.endswith(".yaml"))
    report = max(reports, key=lambda r: results_of(open(r, encoding="utf-8").read()))
    text = open(report, encoding="utf-8").read()
    results = results_of(text)
    uri = "file://" + os.path.abspath(report)
    p = subprocess.Popen([a.sds, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    read(p)
    send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
             "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
    first = wait_diagnostics(p, 1)
    # Each change rewrites one number: the document's size and shape stay the same.
    marker = "status: pass"
    times = []
    cpu0 = cpu_seconds(p.pid)
    for r in range(a.rounds):
        v = r + 2
        changed = text.replace(marker, "status: fail" if r % 2 == 0 else marker, 1)
        t0 = time.perf_counter()
        send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange",
                 "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": changed}]}})
        wait_diagnostics(p, v)
        times.append((time.perf_counter() - t0) * 1000)
    cpu = (cpu_seconds(p.pid) - cpu0) * 1000 / a.rounds
    send(p, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    read(p)
    send(p, {"jsonrpc": "2.0", "method": "exit", "params": None})
    p.wait(timeout=10)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"report: {results} results, {len(text.encode())} bytes, {len(first)} findings")
    print(f"{a.rounds} changes: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms (wall clock)")
    print(f"server CPU time per change: {cpu:.2f} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
