"""A real S3 API server for tdpr-store's tests and benchmarks: moto's
standalone server, with a counting proxy in front of it.

Prints one line of JSON, {"moto": URL, "proxy": URL}, then serves until its
standard input closes (the test process that started it has ended).

Clients talk to the proxy. It forwards every request to moto unchanged and
counts, per bucket (the first segment of the path), the requests and the
bytes of the response bodies. It can also be told to misbehave for a bucket,
so that the client's handling of bad answers is tested against real HTTP:

    GET  /__proxy/stats/BUCKET          {"requests": N, "bytes": N, "sent": N}
    POST /__proxy/reset/BUCKET          zero the counts
    POST /__proxy/fault/BUCKET?kind=K&count=N
         K = short: a 206 answer cut to half its bytes, with a Content-Range
                    and Content-Length that say so (a well-formed short answer)
             cut:   the answer's headers and half its body, then the
                    connection closes (a connection cut mid-read)
             deny:  403 AccessDenied, as for refused credentials
         applied to the next N GET requests of the bucket (count=-1: all)
    PUT  /__proxy/bucket/BUCKET         create the bucket (not counted)
    PUT  /__proxy/object/BUCKET/KEY?file=PATH
                                        store a local file as an object (not
                                        counted), readable without credentials
                                        as on a plain web server

Requests to moto are not authenticated (moto does not check signatures).
"""

import http.client
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from moto.server import ThreadedMotoServer

CHUNK = 1 << 20
DENIED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
          b"<Message>Access Denied</Message></Error>")


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.stats = {}
        self.faults = {}

    def count(self, bucket, field, n):
        with self.lock:
            self.stats.setdefault(bucket, {"requests": 0, "bytes": 0, "sent": 0})[field] += n

    def take_fault(self, bucket, method):
        with self.lock:
            fault = self.faults.get(bucket)
            if not fault or method != "GET" or fault["count"] == 0:
                return None
            if fault["count"] > 0:
                fault["count"] -= 1
            return fault["kind"]


def make_handler(moto_port, state):
    local = threading.local()

    def moto():
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection("127.0.0.1", moto_port, timeout=600)
        return local.conn

    def moto_request(method, path, body, headers):
        for attempt in range(2):
            conn = moto()
            try:
                conn.request(method, path, body=body, headers=headers)
                return conn.getresponse()
            except (http.client.HTTPException, OSError):
                conn.close()
                local.conn = None
                if attempt:
                    raise

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def control(self, method, body):
            parts = urlsplit(self.path)
            words = parts.path.split("/")[2:]
            query = parse_qs(parts.query)
            what, bucket = words[0], words[1] if len(words) > 1 else ""
            if what == "stats" and method == "GET":
                with state.lock:
                    stats = dict(state.stats.get(bucket, {"requests": 0, "bytes": 0, "sent": 0}))
                return self.reply(200, json.dumps(stats).encode())
            if what == "reset":
                with state.lock:
                    state.stats.pop(bucket, None)
                    state.faults.pop(bucket, None)
                return self.reply(200)
            if what == "fault":
                with state.lock:
                    state.faults[bucket] = {"kind": query["kind"][0],
                                            "count": int(query.get("count", ["1"])[0])}
                return self.reply(200)
            if what == "bucket":
                response = moto_request("PUT", "/" + bucket, b"", {"Content-Length": "0"})
                response.read()
                return self.reply(200 if response.status < 300 else response.status)
            if what == "object":
                key = "/".join(words[2:])
                with open(query["file"][0], "rb") as f:
                    data = f.read()
                response = moto_request("PUT", f"/{bucket}/{key}", data,
                                        {"Content-Length": str(len(data)),
                                         "x-amz-acl": "public-read"})
                response.read()
                return self.reply(200 if response.status < 300 else response.status)
            return self.reply(404)

        def handle_any(self):
            method = self.command
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/__proxy/"):
                return self.control(method, body)
            bucket = urlsplit(self.path).path.split("/")[1]
            state.count(bucket, "requests", 1)
            state.count(bucket, "sent", len(body))
            fault = state.take_fault(bucket, method)
            if fault == "deny":
                return self.reply(403, DENIED, "application/xml")
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("connection", "keep-alive", "proxy-connection")}
            response = moto_request(method, self.path, body if length else None, headers)
            out_headers = [(k, v) for k, v in response.getheaders()
                           if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                                "content-length", "server", "date")]
            declared = response.getheader("Content-Length")
            if declared is None:
                payload = response.read()
                total = len(payload)
            else:
                payload = None
                total = int(declared)
            send = total
            if fault == "short" and response.status == 206:
                send = total // 2
                out_headers = [(k, v) for k, v in out_headers if k.lower() != "content-range"]
                start = int(response.getheader("Content-Range").split()[1].split("-")[0])
                size = response.getheader("Content-Range").split("/")[1]
                out_headers.append(("Content-Range", f"bytes {start}-{start + send - 1}/{size}"))
                total = send
            elif fault == "cut":
                send = total // 2
            self.send_response(response.status)
            for k, v in out_headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(total))
            self.end_headers()
            sent = 0
            while sent < send:
                chunk = payload[sent:sent + CHUNK] if payload is not None else response.read(
                    min(CHUNK, send - sent))
                if not chunk:
                    break
                # Counted before it is sent: a client that has every byte
                # and asks for the counts at once finds them all.
                state.count(bucket, "bytes", len(chunk))
                self.wfile.write(chunk)
                sent += len(chunk)
            # Drain what was not sent, so that moto's connection stays usable.
            if payload is None:
                while response.read(CHUNK):
                    pass
            if fault == "cut":
                self.wfile.flush()
                self.close_connection = True

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

    return Handler


def main():
    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    moto_port = moto_server.get_host_and_port()[1]
    state = State()
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(moto_port, state))
    proxy.daemon_threads = True
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    print(json.dumps({"moto": f"http://127.0.0.1:{moto_port}",
                      "proxy": f"http://127.0.0.1:{proxy.server_address[1]}"}), flush=True)
    sys.stdin.read()
    proxy.shutdown()
    moto_server.stop()


if __name__ == "__main__":
    main()
