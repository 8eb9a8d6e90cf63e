#!/usr/bin/env python3
"""A quick, independent-of-tdpr reader for the Teleport protostream fixtures.

Reads each cases/<id>.tar the way spec/teleport.md §1.4 describes (streaming:
events are returned as soon as their record is decompressed, faults stop the
read) and compares the result with cases/<id>.json.  Standard library only.

    python3 conformance/teleport/check_streams.py [CASE_ID ...]
"""

import json
import os
import struct
import sys
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_streams import SCHEMAS, METADATA, READ_ALL_GZIP_MEMBERS, GO_ZERO_TIME_SECONDS  # noqa: E402

MAX_RECORD = 65536


class Fault(Exception):
    def __init__(self, cls):
        super().__init__(cls)
        self.cls = cls


def read_varint(buf, pos):
    n = shift = 0
    while True:
        if pos >= len(buf):
            raise Fault("protobuf")
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if not b & 0x80:
            return n, pos
        shift += 7
        if shift >= 70:
            raise Fault("protobuf")


def parse(buf):
    """Generic protobuf parse -> list of (field, wire type, value)."""
    out, pos = [], 0
    while pos < len(buf):
        k, pos = read_varint(buf, pos)
        f, wt = k >> 3, k & 7
        if f == 0:
            raise Fault("protobuf")
        if wt == 0:
            v, pos = read_varint(buf, pos)
        elif wt == 1:
            if pos + 8 > len(buf):
                raise Fault("protobuf")
            v, pos = buf[pos:pos + 8], pos + 8
        elif wt == 5:
            if pos + 4 > len(buf):
                raise Fault("protobuf")
            v, pos = buf[pos:pos + 4], pos + 4
        elif wt == 2:
            n, pos = read_varint(buf, pos)
            if pos + n > len(buf):
                raise Fault("protobuf")
            v, pos = buf[pos:pos + n], pos + n
        else:
            raise Fault("protobuf")
        out.append((f, wt, v))
    return out


def signed64(n):
    return n - (1 << 64) if n >= 1 << 63 else n


def ts_ns(buf):
    secs = nanos = 0
    for f, wt, v in parse(buf):
        if f == 1 and wt == 0:
            secs = signed64(v)
        elif f == 2 and wt == 0:
            nanos = v
    if secs == GO_ZERO_TIME_SECONDS and nanos == 0:
        return None
    return secs * 1_000_000_000 + nanos


def decode_schema(schema, buf, flat):
    by_num = {e[0]: e for e in schema}
    for f, wt, v in parse(buf):
        e = by_num.get(f)
        if e is None:
            continue  # unknown field: ignored
        name, kind = e[1], e[2]
        want_wt = 0 if kind in ("bool", "int") else 2
        if wt != want_wt:
            raise Fault("protobuf")
        if kind == "embed":
            decode_schema(e[3], v, flat)
        elif kind == "string":
            flat[name] = v.decode()
        elif kind == "bytes":
            flat[name] = bytes(v)
        elif kind == "bool":
            flat[name] = bool(v)
        elif kind == "int":
            flat[name] = signed64(v) if name in ("Index", "DelayMilliseconds") else v
        elif kind == "msg":
            flat[name] = decode_schema(e[3], v, {})
        elif kind in ("ts", "ts_always"):
            flat[name] = ts_ns(v)
        elif kind == "map":
            kv = {1: "", 2: ""}
            for f2, wt2, v2 in parse(v):
                kv[f2] = v2.decode()
            flat.setdefault(name, {})[kv[1]] = kv[2]
        elif kind == "rep_string":
            flat.setdefault(name, []).append(v.decode())
    return flat


def decode_event(rec):
    fields = parse(rec)
    if not fields:
        raise Fault("protobuf")
    member, wt, body = fields[-1]
    if wt != 2:
        raise Fault("protobuf")
    if member in SCHEMAS:
        flat = decode_schema(SCHEMAS[member], body, {})
    else:
        flat = {}
        for f, wt2, v in parse(body):
            if f == 1 and wt2 == 2:
                decode_schema(METADATA, v, flat)
    ev = {"index": flat.pop("Index", 0), "member": member, "type": flat.pop("Type", ""),
          "time_unix_ns": flat.pop("Time", 0)}
    if member == 69:
        msg, tdpb = flat.get("Message"), flat.get("TDPBMessage")
        ev["delay_ms"] = flat.get("DelayMilliseconds", 0)
        ev["message_hex"] = (msg if msg else (tdpb or b"")).hex()
        ev["tdpb"] = not msg
    else:
        ev["fields"] = flat if member in SCHEMAS else {}
    return ev


def gunzip_streaming(window):
    """Decompress the first gzip member of window (every member when
    READ_ALL_GZIP_MEMBERS); the rest of the window is discarded. Returns (output, error class or None, complete flag)."""
    out = bytearray()
    rest = bytes(window)
    first = True
    while True:
        d = zlib.decompressobj(31)
        for i in range(len(rest)):
            try:
                out += d.decompress(rest[i:i + 1])
            except zlib.error:
                return bytes(out), "gzip", False
            if d.eof:
                break
        if not d.eof:
            if first and not rest:
                return bytes(out), "gzip", False
            return bytes(out), "eof_in_gzip", False
        first = False
        rest = d.unused_data + rest[i + 1:]
        if READ_ALL_GZIP_MEMBERS and rest[:2] == b"\x1f\x8b":
            continue
        return bytes(out), None, True


def read_stream(data):
    pos, part, last, events, dropped = 0, 0, -1, [], 0

    def emit(ev):
        nonlocal last, dropped
        if ev["index"] <= last:
            dropped += 1
            return
        last = ev["index"]
        events.append(ev)

    try:
        while pos < len(data):
            if len(data) - pos < 24:
                raise Fault("truncated")
            ver, size, pad = struct.unpack(">QQQ", data[pos:pos + 24])
            if ver not in (1, 2):
                raise Fault("unsupported_version")
            hdr = 24
            if ver == 2:
                if len(data) - pos < 32:
                    raise Fault("truncated")
                if data[pos + 24] & 0x01:
                    raise Fault("encrypted")
                hdr = 32
            pos += hdr
            if size:
                window = data[pos:pos + size]
                short = len(window) < size
                out, err, _ = gunzip_streaming(window)
                if err == "eof_in_gzip":
                    err = "truncated" if short else "gzip"
                rp = 0
                while rp < len(out):
                    if len(out) - rp < 4:
                        raise Fault(err or "truncated")
                    n = struct.unpack(">I", out[rp:rp + 4])[0]
                    if n == 0 or n > MAX_RECORD:
                        raise Fault("record_length")
                    if rp + 4 + n > len(out):
                        raise Fault(err or "truncated")
                    emit(decode_event(out[rp + 4:rp + 4 + n]))
                    rp += 4 + n
                if err:
                    raise Fault(err)
                pos += size
            if len(data) - pos < pad:
                raise Fault("truncated")
            pos += pad
            part += 1
    except Fault as f:
        return events, dropped, {"class": f.cls, "part": part}
    return events, dropped, None


def same_event(got, exp):
    if set(got) != set(exp):
        return False
    for k in exp:
        if k == "fields":
            g, e = got[k], exp[k]
            for name, v in e.items():
                if g.get(name, type(v)()) != v:   # missing on the wire = proto3 default
                    return False
            if set(g) - set(e):
                return False
        elif got[k] != exp[k]:
            return False
    return True


def main(argv):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
    ids = argv or sorted(f[:-5] for f in os.listdir(here) if f.endswith(".json"))
    bad = 0
    for cid in ids:
        exp = json.load(open(os.path.join(here, cid + ".json")))
        data = open(os.path.join(here, cid + ".tar"), "rb").read()
        events, dropped, error = read_stream(data)
        problems = []
        if len(events) != len(exp["events"]):
            problems.append(f"{len(events)} events, expected {len(exp['events'])}")
        for i, (g, e) in enumerate(zip(events, exp["events"])):
            if not same_event(g, e):
                problems.append(f"event {i} differs: {g} vs {e}")
                break
        if dropped != exp["duplicates_dropped"]:
            problems.append(f"dropped {dropped}, expected {exp['duplicates_dropped']}")
        if error != exp["error"]:
            problems.append(f"error {error}, expected {exp['error']}")
        print(("ok   " if not problems else "FAIL ") + cid + ("" if not problems else ": " + "; ".join(problems)))
        bad += bool(problems)
    print(f"{len(ids) - bad} ok, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
