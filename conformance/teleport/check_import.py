#!/usr/bin/env python3
"""Check a `tdpr import teleport` result against spec/conversion.md §1-§3.

    python3 conformance/teleport/check_import.py STREAM.tar DUMP.json

STREAM.tar is a Teleport session recording (protostream); DUMP.json is the
canonical JSON (spec/json.md) that `tdpr dump OUT.tdpr` prints for the import of
STREAM.tar.  The script computes, from the stream and spec/conversion.md alone,
the recording the import must produce, compares it with the dump, prints `ok` and
exits 0 when they agree, and otherwise prints every difference (what the spec
requires vs what the dump holds) and exits 1.

Written from spec/ (conversion.md, teleport.md, format.md, json.md, tdp.md) and
the message declarations conversion.md §2 points at
(proto/teleport/legacy/types/events/events.proto, proto/teleport/desktop/v1/
tdpb.proto) only; no tdpr code was read.  Python 3 standard library only.

Where conversion.md leaves a choice open, the reading taken is marked
"READING:" below; the `--strict-origin` style alternatives are not offered, the
comments say what the other reading would be.

When the stream yields no record at all, the importer leaves no output
(§3.6); a DUMP.json that is missing or empty is then accepted.

A `frame_batch` record of the dump (format.md 5.8) stands for its frames, each
a frame at its own time: the frames are compared one by one with the frames
conversion.md §3.3 requires, whether the importer wrote them as frame records or
in batches, and the index is rebuilt with 7.3's rules for batches.
"""

import base64
import json
import os
import struct
import sys
import zlib

sys.dont_write_bytecode = True

MAX_RECORD = 65536                 # §1 record_length: MaxProtoMessageSizeBytes
HOLD_RECORDS = 4096                # §3.1
HOLD_BYTES = 16 * 1024 * 1024      # §3.1
MAX_HELD_EVENTS = 1024             # §3.4
GO_ZERO_SECONDS = -62135596800     # §2 unset time
RECORDER_NAME = "tdpr import teleport"
MAX_TIME = (1 << 63) - 1          # format.md §1

START_MEMBERS = (59, 254)
RECORDING = 69


class Fault(Exception):
    """A fault that ends the reading of the Teleport stream (§1 table)."""

    def __init__(self, cls, detail=""):
        super().__init__(f"{cls}: {detail}" if detail else cls)
        self.cls = cls


class DecodeError(Exception):
    """A protobuf payload that prost would refuse (spec/json.md 'Protobuf decoding')."""


# ---------------------------------------------------------------------------
# §1 The container: parts, one gzip member each, length-prefixed records
# ---------------------------------------------------------------------------

def inflate_member(window):
    """Decompress ONE gzip member from the start of `window` (§1 step 3).

    Returns (output, status) where status is "ok" (the member ended inside the
    window; whatever follows it in the window is ignored), "error" (bad magic,
    bad deflate data, wrong CRC-32 or ISIZE), or "incomplete" (the window ended
    inside the member).  On "error" the output is every byte the member yielded
    before the fault (§1: records before a fault are yielded)."""
    d = zlib.decompressobj(31)
    try:
        out = d.decompress(window)
    except zlib.error:
        # Redo in small steps to keep the output produced before the fault.
        d = zlib.decompressobj(31)
        out = bytearray()
        step = 1
        for i in range(0, len(window), step):
            try:
                out += d.decompress(window[i:i + step])
            except zlib.error:
                return bytes(out), "error"
            if d.eof:
                return bytes(out), "ok"
        return bytes(out), "incomplete"
    if d.eof:
        return out, "ok"
    try:
        out += d.flush()
    except zlib.error:
        pass
    return out, "incomplete"


def walk_stream(data):
    """Every record (the serialized OneOf, bytes) the reader of §1 yields, in
    order, before the first container fault; and that fault (or None).
    Duplicates are not dropped here (that needs the decoded index)."""
    records = []
    pos = 0
    part = 0
    try:
        while True:
            left = len(data) - pos
            if left == 0:
                return records, None
            if left < 8:
                raise Fault("truncated", f"part {part}: inside a part header")
            version = struct.unpack(">Q", data[pos:pos + 8])[0]
            if version not in (1, 2):
                raise Fault("unsupported_version", f"part {part}: version {version}")
            hdr = 24 if version == 1 else 32
            if left < hdr:
                raise Fault("truncated", f"part {part}: inside a part header")
            _, size, pad = struct.unpack(">QQQ", data[pos:pos + 24])
            if version == 2:
                flags = data[pos + 24]
                if flags & 0x01:
                    raise Fault("encrypted", f"part {part}")
                if flags & ~0x01:
                    raise Fault("unsupported_version", f"part {part}: flags {flags:#x}")
            pos += hdr
            if size:
                window = data[pos:pos + size]
                short = len(window) < size
                out, status = inflate_member(window)
                rp = 0
                while rp < len(out):
                    if len(out) - rp < 4:
                        break
                    n = struct.unpack(">I", out[rp:rp + 4])[0]
                    if n == 0 or n > MAX_RECORD:
                        raise Fault("record_length", f"part {part}: length {n}")
                    if rp + 4 + n > len(out):
                        break
                    records.append(bytes(out[rp + 4:rp + 4 + n]))
                    rp += 4 + n
                if status == "error":
                    raise Fault("gzip", f"part {part}")
                if status == "incomplete":
                    raise Fault("truncated" if short else "gzip", f"part {part}: gzip member incomplete")
                if rp < len(out):
                    raise Fault("truncated", f"part {part}: member output ends inside a record")
                if short:
                    raise Fault("truncated", f"part {part}: input ends inside the PartSize window")
                pos += size
            if len(data) - pos < pad:
                raise Fault("truncated", f"part {part}: inside the padding")
            pos += pad
            part += 1
    except Fault as f:
        return records, f


# ---------------------------------------------------------------------------
# Protobuf, decoded the way prost does (spec/json.md "Protobuf decoding")
# ---------------------------------------------------------------------------

def read_varint(buf, pos):
    n = shift = 0
    for i in range(10):
        if pos >= len(buf):
            raise DecodeError("varint runs past the end")
        b = buf[pos]
        pos += 1
        if i == 9 and b > 1:
            raise DecodeError("varint too long")
        n |= (b & 0x7F) << shift
        if not b & 0x80:
            return n, pos
        shift += 7
    raise DecodeError("varint too long")


def read_key(buf, pos):
    k, pos = read_varint(buf, pos)
    if k > 0xFFFFFFFF:
        raise DecodeError("key above 2^32-1")
    wt = k & 7
    if wt > 5:
        raise DecodeError(f"wire type {wt}")
    f = k >> 3
    if f == 0:
        raise DecodeError("field number 0")
    return f, wt, pos


def skip_value(buf, pos, f, wt, depth=0):
    """Skip one value of wire type wt; returns (value or None, new pos)."""
    if wt == 0:
        return read_varint(buf, pos)
    if wt == 1:
        if pos + 8 > len(buf):
            raise DecodeError("fixed64 runs past the end")
        return bytes(buf[pos:pos + 8]), pos + 8
    if wt == 5:
        if pos + 4 > len(buf):
            raise DecodeError("fixed32 runs past the end")
        return bytes(buf[pos:pos + 4]), pos + 4
    if wt == 2:
        n, pos = read_varint(buf, pos)
        if pos + n > len(buf):
            raise DecodeError("length runs past the end")
        return bytes(buf[pos:pos + n]), pos + n
    if wt == 3:
        if depth >= 100:
            raise DecodeError("groups nested too deep")
        while True:
            if pos >= len(buf):
                raise DecodeError("group not closed")
            f2, wt2, pos = read_key(buf, pos)
            if wt2 == 4:
                if f2 != f:
                    raise DecodeError("end group does not match")
                return None, pos
            _, pos = skip_value(buf, pos, f2, wt2, depth + 1)
    raise DecodeError("end group without start")


def fields_of(buf):
    """[(field, wire type, value)]; groups are skipped with value None."""
    out, pos = [], 0
    while pos < len(buf):
        f, wt, pos = read_key(buf, pos)
        v, pos = skip_value(buf, pos, f, wt)
        out.append((f, wt, v))
    return out


def s64(n):
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >> 63 else n


def s32(n):
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n >> 31 else n


def u32(n):
    return n & 0xFFFFFFFF


# Schemas from proto/teleport/legacy/types/events/events.proto (the messages
# conversion.md §2 says events are decoded with).  kind -> wire type.
WT = {"string": 2, "bytes": 2, "int64": 0, "int32": 0, "uint32": 0, "uint64": 0,
      "bool": 0, "msg": 2, "map": 2, "rep_string": 2}

TIMESTAMP = {1: ("seconds", "int64"), 2: ("nanos", "int32")}
METADATA = {1: ("Index", "int64"), 2: ("Type", "string"), 3: ("ID", "string"),
            4: ("Code", "string"), 5: ("Time", "msg", TIMESTAMP), 6: ("ClusterName", "string")}
USER = {1: ("User", "string"), 2: ("Login", "string"), 3: ("Impersonator", "string"),
        4: ("AWSRoleARN", "string"), 5: ("AccessRequests", "rep_string"),
        6: ("AzureIdentity", "string"), 7: ("GCPServiceAccount", "string"),
        8: ("TrustedDevice", "bytes"), 9: ("RequiredPrivateKeyPolicy", "string"),
        10: ("UserKind", "int32"), 11: ("BotName", "string"), 12: ("BotInstanceID", "string"),
        13: ("UserOrigin", "int32"), 14: ("UserRoles", "rep_string"),
        15: ("UserTraits", "bytes"), 16: ("UserClusterName", "string"),
        17: ("scope_pin", "bytes"), 18: ("BeamID", "string"), 19: ("BotScopeOfOrigin", "string")}
SESSION = {1: ("SessionID", "string"), 2: ("WithMFA", "string"), 3: ("PrivateKeyPolicy", "string")}
CONNECTION = {1: ("LocalAddr", "string"), 2: ("RemoteAddr", "string"), 3: ("Protocol", "string")}
STATUS = {1: ("Success", "bool"), 2: ("Error", "string"), 3: ("UserMessage", "string")}

M = ("Metadata", "msg", METADATA)
U = ("User", "msg", USER)
S = ("Session", "msg", SESSION)
C = ("Connection", "msg", CONNECTION)
ST = ("Status", "msg", STATUS)

SCHEMAS = {
    69: {1: M, 2: ("Message", "bytes"), 3: ("DelayMilliseconds", "int64"), 4: ("TDPBMessage", "bytes")},
    59: {1: M, 2: U, 3: S, 4: C, 5: ST, 6: ("WindowsDesktopService", "string"),
         7: ("DesktopAddr", "string"), 8: ("Domain", "string"), 9: ("WindowsUser", "string"),
         10: ("DesktopLabels", "map"), 11: ("DesktopName", "string"),
         12: ("AllowUserCreation", "bool"), 13: ("NLA", "bool"),
         14: ("CertMetadata", "bytes"), 15: ("CAOverride", "bytes")},
    60: {1: M, 2: U, 3: S, 4: ("WindowsDesktopService", "string"), 5: ("DesktopAddr", "string"),
         6: ("Domain", "string"), 7: ("WindowsUser", "string"), 8: ("DesktopLabels", "map"),
         9: ("StartTime", "msg", TIMESTAMP), 10: ("EndTime", "msg", TIMESTAMP),
         11: ("DesktopName", "string"), 12: ("Recorded", "bool"),
         13: ("Participants", "rep_string"), 14: C},
    254: {1: M, 2: U, 3: S, 4: C, 5: ST, 6: ("DesktopAddr", "string"), 7: ("LinuxUser", "string"),
          8: ("DesktopLabels", "map"), 9: ("DesktopName", "string")},
    255: {1: M, 2: U, 3: S, 4: C, 5: ("DesktopAddr", "string"), 6: ("LinuxUser", "string"),
          7: ("DesktopLabels", "map"), 8: ("StartTime", "msg", TIMESTAMP),
          9: ("EndTime", "msg", TIMESTAMP), 10: ("DesktopName", "string"),
          11: ("Recorded", "bool"), 12: ("Participants", "rep_string")},
}
_CLIP = {1: M, 2: U, 3: S, 4: C, 5: ("DesktopAddr", "string"), 6: ("Length", "int32"),
         7: ("DesktopName", "string")}
_DIR_START = {1: M, 2: U, 3: S, 4: C, 5: ST, 6: ("DesktopAddr", "string"),
              7: ("DirectoryName", "string"), 8: ("DirectoryID", "uint32"), 9: ("DesktopName", "string")}
_DIR_RW = {1: M, 2: U, 3: S, 4: C, 5: ST, 6: ("DesktopAddr", "string"),
           7: ("DirectoryName", "string"), 8: ("DirectoryID", "uint32"), 9: ("Path", "string"),
           10: ("Length", "uint32"), 11: ("Offset", "uint64"), 12: ("DesktopName", "string")}
SCHEMAS.update({70: _CLIP, 71: _CLIP, 106: _DIR_START, 107: _DIR_RW, 108: _DIR_RW})


def utf8(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError("string is not UTF-8")


def decode(schema, buf, into=None, depth=0):
    """Decode `buf` as a proto3 message of `schema`, as prost does: unknown fields
    skipped, a known field with the wrong wire type or a bad string refused, the
    last value of a repeated singular field kept, message fields merged."""
    if depth > 100:
        raise DecodeError("nested too deep")
    msg = {} if into is None else into
    pos = 0
    while pos < len(buf):
        f, wt, pos = read_key(buf, pos)
        entry = schema.get(f)
        if entry is None:
            _, pos = skip_value(buf, pos, f, wt, depth)
            continue
        name, kind = entry[0], entry[1]
        if wt != WT[kind]:
            raise DecodeError(f"field {name}: wire type {wt}")
        v, pos = skip_value(buf, pos, f, wt, depth)
        if kind == "string":
            msg[name] = utf8(v)
        elif kind == "bytes":
            msg[name] = v
        elif kind == "int64":
            msg[name] = s64(v)
        elif kind == "int32":
            msg[name] = s32(v)
        elif kind == "uint32":
            msg[name] = u32(v)
        elif kind == "uint64":
            msg[name] = v & ((1 << 64) - 1)
        elif kind == "bool":
            msg[name] = v != 0
        elif kind == "msg":
            msg[name] = decode(entry[2], v, msg.get(name, {}), depth + 1)
        elif kind == "rep_string":
            msg.setdefault(name, []).append(utf8(v))
        elif kind == "map":
            kv = decode({1: ("k", "string"), 2: ("v", "string")}, v, None, depth + 1)
            msg.setdefault(name, {})[kv.get("k", "")] = kv.get("v", "")
    return msg


# ---------------------------------------------------------------------------
# §2 Reading an event
# ---------------------------------------------------------------------------

def ts_us(ts):
    """A decoded Timestamp -> microseconds since the epoch, or None when unset (§2)."""
    if ts is None:
        return None
    secs, nanos = ts.get("seconds", 0), ts.get("nanos", 0)
    if secs == 0 and nanos == 0:
        return None
    # READING: "Go's zero time (seconds = -62 135 596 800)" is taken on the
    # seconds alone, whatever the nanos.
    if secs == GO_ZERO_SECONDS:
        return None
    # READING: the sub-microsecond part of the nanos is dropped toward zero.
    return secs * 1_000_000 + int(nanos / 1000)


class Event:
    """One record of the stream, decoded as §2 says."""

    def __init__(self, raw):
        self.raw = raw
        try:
            top = fields_of(raw)
        except DecodeError as e:
            raise Fault("protobuf", f"OneOf: {e}")
        if not top:
            raise Fault("protobuf", "OneOf with no field")
        for f, wt, _ in top:
            if wt != 2:
                raise Fault("protobuf", f"OneOf field {f} is not length-delimited")
        self.member, _, self.body = top[-1]
        # READING: a member body that does not even split into fields is "not an
        # event" (protobuf), for every member, since field 1 cannot be found.
        try:
            inner = fields_of(self.body)
        except DecodeError as e:
            raise Fault("protobuf", f"member {self.member}: {e}")
        meta_parts = []
        for f, wt, v in inner:
            if f == 1:
                if wt != 2:
                    raise Fault("protobuf", f"member {self.member}: Metadata is not length-delimited")
                meta_parts.append(v)
        self.has_metadata = bool(meta_parts)
        # READING: several field 1s merge (protobuf's rule for a message field,
        # and what prost does).  The Metadata is read field by field: Index,
        # Type and Time are taken when they have their declared wire type and
        # decode (a `Type` that is not UTF-8, or a `Time` that is not a
        # Timestamp, reads as absent), since §2 says an importer MUST accept
        # events whose fields do not decode.  Metadata bytes that do not even
        # split into fields make the record `protobuf`.
        try:
            self.meta = read_metadata(b"".join(meta_parts)) if meta_parts else {}
        except DecodeError as e:
            raise Fault("protobuf", f"member {self.member}: Metadata: {e}")
        self.index = self.meta.get("Index", 0)
        self.type = self.meta.get("Type", "")
        self.time_us = ts_us(self.meta.get("Time"))
        self.msg = None        # decoded message, None when it does not decode
        if self.member == RECORDING:
            rec = {}
            for f, wt, v in inner:
                if f in (2, 3, 4):
                    if wt != (0 if f == 3 else 2):
                        raise Fault("protobuf", f"DesktopRecording field {f}: wire type {wt}")
                    rec[f] = v
            message = rec.get(2, b"")
            self.frame = message if message else rec.get(4, b"")
            self.delay = s64(rec.get(3, 0))
        elif self.member in SCHEMAS:
            try:
                self.msg = decode(SCHEMAS[self.member], self.body)
            except DecodeError:
                self.msg = None

    def __repr__(self):
        return f"<member {self.member} index {self.index} type {self.type!r}>"


def read_metadata(buf):
    """Index, Type and Time of a Metadata, each read on its own (see Event)."""
    md = {}
    for f, wt, v in fields_of(buf):
        if f == 1 and wt == 0:
            md["Index"] = s64(v)
        elif f == 2 and wt == 2:
            try:
                md["Type"] = v.decode("utf-8")
            except UnicodeDecodeError:
                md.pop("Type", None)
        elif f == 5 and wt == 2:
            try:
                md["Time"] = decode(TIMESTAMP, v, dict(md.get("Time", {})))
            except DecodeError:
                md.pop("Time", None)
        elif f == 6 and wt == 2:
            try:
                md["ClusterName"] = v.decode("utf-8")
            except UnicodeDecodeError:
                md.pop("ClusterName", None)
    return md


def read_events(data):
    """§1 + §2: the events the reader yields, duplicates dropped, and the fault."""
    records, fault = walk_stream(data)
    events = []
    last = None
    dropped = gaps = 0
    for raw in records:
        try:
            ev = Event(raw)
        except Fault as f:
            fault = f
            break
        if ev.has_metadata:
            if last is not None:
                if ev.index <= last:
                    dropped += 1
                    continue
                if ev.index > last + 1:
                    gaps += 1
            last = ev.index
        events.append(ev)
    return events, fault, dropped, gaps


# ---------------------------------------------------------------------------
# §3.5 Screen sizes announced by a frame
# ---------------------------------------------------------------------------

def announced_size(frame):
    """(width, height) the frame announces, or None."""
    if not frame:
        return None
    t = frame[0]
    w = h = 0
    if t == 1:                          # legacy client_screen_spec
        if len(frame) < 9:
            return None
        w, h = struct.unpack(">II", frame[1:9])
    elif t == 31:                       # legacy rdp_connection_activated
        if len(frame) < 9:
            return None
        w, h = struct.unpack(">HH", frame[5:9])
    elif t == 0:                        # TDPB: u32 length + Envelope
        if len(frame) < 4:
            return None
        n = struct.unpack(">I", frame[:4])[0]
        # READING: the envelope is the n bytes after the length; a frame whose
        # length does not fit, or whose envelope does not decode, announces nothing.
        if 4 + n > len(frame):
            return None
        env = frame[4:4 + n]
        spec_schema = {1: ("width", "uint32"), 2: ("height", "uint32"), 3: ("scale", "uint32")}
        act_schema = {1: ("io_channel_id", "uint32"), 2: ("user_channel_id", "uint32"),
                      3: ("screen_width", "uint32"), 4: ("screen_height", "uint32")}
        hello_schema = {1: ("activation_spec", "msg", act_schema)}
        try:
            payload = None          # (field number, bytes list) of the oneof
            for f, wt, v in fields_of(env):
                if 1 <= f <= 22:
                    if wt != 2:
                        return None
                    if payload is not None and payload[0] == f:
                        payload[1].append(v)      # same member again: merged
                    else:
                        payload = (f, [v])
            if payload is None:
                return None
            body = b"".join(payload[1])
            if payload[0] == 10:
                m = decode(spec_schema, body)
                w, h = m.get("width", 0), m.get("height", 0)
            elif payload[0] == 2:
                m = decode(hello_schema, body)
                if "activation_spec" not in m:
                    return None
                a = m["activation_spec"]
                w, h = a.get("screen_width", 0), a.get("screen_height", 0)
            else:
                return None
        except DecodeError:
            return None
    else:
        return None
    if w == 0 or h == 0:
        return None
    return (w, h)


# ---------------------------------------------------------------------------
# §3 Import: the recording the importer must write
# ---------------------------------------------------------------------------

KIND_NAMES = {0: "unspecified", 1: "clipboard_send", 2: "clipboard_receive",
              3: "shared_directory_read", 4: "shared_directory_write",
              5: "shared_directory_start", 6: "session_join", 7: "session_leave",
              8: "marker", 9: "session_end"}


def blank_event():
    return {"kind": 0, "label": "", "user": "", "length": 0, "directory_name": "",
            "directory_id": 0, "path": "", "offset": 0, "failed": False,
            "attributes": {}, "teleport_event": "", "unknown_fields": ""}


def b64(b):
    return base64.b64encode(b).decode("ascii")


def tdpr_event(ev):
    """§3.4 table: the tdpr Event for a non-recording event, and its wall time (µs or None)."""
    e = blank_event()
    e["teleport_event"] = b64(ev.raw)
    m = ev.msg
    wall = ev.time_us
    if m is None or ev.member not in (60, 255, 70, 71, 106, 107, 108):
        e["kind"] = 0
        e["label"] = ev.type
    else:
        user = m.get("User", {}).get("User", "")
        e["user"] = user
        if ev.member in (60, 255):
            e["kind"] = 9
            end = ts_us(m.get("EndTime"))
            if end is not None:
                wall = end
        elif ev.member in (70, 71):
            e["kind"] = 1 if ev.member == 70 else 2
            length = m.get("Length", 0)
            e["length"] = length if length > 0 else 0
        else:
            e["kind"] = {106: 5, 107: 3, 108: 4}[ev.member]
            e["directory_name"] = m.get("DirectoryName", "")
            e["directory_id"] = m.get("DirectoryID", 0)
            e["failed"] = not m.get("Status", {}).get("Success", False)
            if ev.member != 106:
                e["path"] = m.get("Path", "")
                e["length"] = m.get("Length", 0)
                e["offset"] = m.get("Offset", 0)
    e["kind_name"] = KIND_NAMES[e["kind"]]
    return e, wall


def expected_import(events):
    """The metadata and the content records §3 says the import writes."""
    # §3.1 hold back
    held = []
    held_bytes = 0
    seen_start = seen_rec = False
    i = 0
    while i < len(events):
        ev = events[i]
        held.append(ev)
        held_bytes += len(ev.raw)
        i += 1
        seen_start |= ev.member in START_MEMBERS
        seen_rec |= ev.member == RECORDING
        # READING: "seen a start event" counts any member 59/254, decoding or
        # not; "16 MiB" is the sum of the serialized OneOf sizes.
        if (seen_start and seen_rec) or len(held) >= HOLD_RECORDS or held_bytes >= HOLD_BYTES:
            break
    later = events[i:]

    # §3.2 metadata
    start = None
    for ev in held:
        if ev.member in START_MEMBERS and ev.msg is not None:
            start = ev
            break
    md = {"session_id": "", "cluster": "", "user": "", "desktop_name": "", "desktop_addr": "",
          "login": "", "start_time_unix_us": 0, "screen_width": 0, "screen_height": 0,
          "recorder_name": RECORDER_NAME, "recorder_version": None, "labels": {},
          "teleport_start_event": "", "unknown_fields": ""}
    if start is not None:
        m = start.msg
        md["session_id"] = m.get("Session", {}).get("SessionID", "")
        md["cluster"] = m.get("Metadata", {}).get("ClusterName", "")
        md["user"] = m.get("User", {}).get("User", "")
        login = m.get("WindowsUser" if start.member == 59 else "LinuxUser", "")
        md["login"] = login if login else m.get("User", {}).get("Login", "")
        md["desktop_name"] = m.get("DesktopName", "")
        md["desktop_addr"] = m.get("DesktopAddr", "")
        md["labels"] = dict(m.get("DesktopLabels", {}))
        md["teleport_start_event"] = b64(start.raw)

    # origin.  READING: "the Time of the first held recording whose delay is 0 or
    # less" is that one recording's Time (if it is unset, the next candidate is
    # the start event, not a later recording); "any held event" includes
    # DesktopRecordings (every record of the stream is a Teleport event).
    origin = None
    for ev in held:
        if ev.member == RECORDING and ev.delay <= 0:
            origin = ev.time_us
            break
    if origin is None and start is not None:
        origin = start.time_us
    if origin is None:
        for ev in held:
            if ev.time_us is not None:
                origin = ev.time_us
                break
    if origin is None:
        origin = 0
    md["start_time_unix_us"] = origin

    for ev in held:
        if ev.member == RECORDING and ev.frame:
            size = announced_size(ev.frame)
            if size:
                md["screen_width"], md["screen_height"] = size
                break

    # §3.3-§3.5 content records, in order
    out = []                 # (kind, time, data)
    state = {"last_time": 0, "D": 0, "screen": (md["screen_width"], md["screen_height"])}
    pending = []             # held events: (tdpr event, wall)

    def flush(bound):
        for e, wall in pending:
            w = 0 if wall is None else wall - origin
            t = max(w, state["last_time"])
            if bound is not None:
                t = min(t, bound)
            out.append(("event", t, e))
            state["last_time"] = t
        pending.clear()

    for ev in held + later:
        if ev is start:
            continue
        if ev.member == RECORDING:
            if not ev.frame:
                # READING: an empty recording is neither a frame (it does not
                # release the held events) nor a delay (it does not raise D).
                continue
            # §3.3: D is at most floor((2^63 - 1) / 1000).
            state["D"] = min(max(state["D"], ev.delay), MAX_TIME // 1000)
            t = state["D"] * 1000
            tw = t
            flush(t)
            size = announced_size(ev.frame)
            if size and size != state["screen"]:
                out.append(("screen_size", tw, size))
                state["screen"] = size
            out.append(("frame", tw, ev.frame))
            state["last_time"] = t
        else:
            if len(pending) >= MAX_HELD_EVENTS:
                # READING: the 1 024 held events are written at the time already
                # reached (W is not looked at), then the new one is held.
                for e, _ in pending:
                    out.append(("event", state["last_time"], e))
                pending.clear()
            pending.append(tdpr_event(ev))
    flush(None)
    return md, out, start


# ---------------------------------------------------------------------------
# Comparing with the dump
# ---------------------------------------------------------------------------

def short(v, n=120):
    s = json.dumps(v, sort_keys=True) if not isinstance(v, str) else json.dumps(v)
    return s if len(s) <= n else s[:n] + f"... ({len(s)} chars)"


def frames_of(r):
    """The frames of a dump record, each (time_us, payload base64): one for a frame
    record, every frame of a frame_batch (format.md 5.8), none for other types."""
    if r.get("type") == "frame":
        return [(r.get("time_us"), r.get("payload"))]
    if r.get("type") == "frame_batch":
        return [(f.get("time_us"), f.get("payload")) for f in r.get("frames", [])]
    return []


def clock_after(r):
    """format.md 4.1: the clock after a record, a frame batch's last frame's time."""
    frames = frames_of(r)
    return frames[-1][0] if frames else r.get("time_us")


def content_items(records):
    """The dump's content records as the import's content: a frame batch stands for
    its frames, each a frame at its own time (format.md 5.8, 11 "Batching").
    Each item is a record object; `batch` says where a frame came from."""
    items = []
    for r in records:
        if r.get("type") != "frame_batch":
            items.append(r)
            continue
        frames = frames_of(r)
        for j, (t, payload) in enumerate(frames):
            items.append({"type": "frame", "offset": r.get("offset"), "time_us": t,
                          "payload": payload, "batch": f"frame {j + 1} of {len(frames)} "
                          f"of the frame_batch"})
    return items


def rebuild_index(records, md, idx):
    """format.md 7.3 over the dump's content records, with the stored parameters."""
    screen = (md.get("screen_width", 0), md.get("screen_height", 0))
    seek_iv, idle_th = idx.get("seek_interval_us"), idx.get("idle_threshold_us")
    res = {"duration_us": 0, "record_count": 1, "frame_count": 0, "frame_bytes": 0,
           "seek": [], "events": [], "idle": []}
    prev = last_entry = None
    for r in records:
        t, o = r["time_us"], r["offset"]
        res["record_count"] += 1
        if prev is not None and t - prev > idle_th:
            res["idle"].append({"start_us": prev, "end_us": t})
        if last_entry is None or t - last_entry >= seek_iv:
            res["seek"].append({"time_us": t, "offset": o, "width": screen[0], "height": screen[1],
                                "keyframe": False, "keyframe_entry": None})
            last_entry = t
        if r["type"] == "screen_size":
            screen = (r["width"], r["height"])
        elif r["type"] == "event":
            res["events"].append({"time_us": t, "offset": o, "kind": r["event"]["kind"] & 0xFFFFFFFF})
        p = None
        for ft, payload in frames_of(r):
            # step 4: a batch's idle spans between its own frames
            if p is not None and ft - p > idle_th:
                res["idle"].append({"start_us": p, "end_us": ft})
            res["frame_count"] += 1
            res["frame_bytes"] += len(base64.b64decode(payload))
            p = ft
        prev = clock_after(r)
        res["duration_us"] = prev
    return res


def compare(md_exp, out_exp, dump, notes):
    diffs = []

    def diff(where, want, got):
        diffs.append(f"{where}: spec requires {short(want)}, dump holds {short(got)}")

    if dump.get("end") != {"state": "finished"}:
        diff("end", {"state": "finished"}, dump.get("end"))
    for k in ("version_written", "version_required"):
        if dump.get(k) != 1:
            diff(k, 1, dump.get(k))

    md = dump.get("metadata")
    if md is None:
        diff("metadata", "present", None)
        md = {}
    for k, want in md_exp.items():
        got = md.get(k)
        if k == "recorder_version":
            if not isinstance(got, str) or not got:
                diff("metadata.recorder_version", "the tool's version (a non-empty string)", got)
            continue
        if got != want:
            if k == "teleport_start_event" and isinstance(got, str):
                wb, gb = base64.b64decode(want), base64.b64decode(got or "")
                at = next((i for i in range(min(len(wb), len(gb))) if wb[i] != gb[i]), min(len(wb), len(gb)))
                diff("metadata.teleport_start_event", f"{len(wb)} bytes (the start record; first "
                     f"difference at byte {at}: {wb[at:at + 8].hex()})",
                     f"{len(gb)} bytes ({gb[at:at + 8].hex()} at byte {at})")
            else:
                diff(f"metadata.{k}", want, got)
    extra = set(md) - set(md_exp)
    if extra:
        diff("metadata keys", sorted(md_exp), sorted(md))

    recs = dump.get("records", [])
    if not recs or recs[0].get("type") != "metadata":
        diff("record 0", "metadata", recs[0].get("type") if recs else None)
        return diffs
    if recs[0].get("time_us") != 0:
        diff("record 0 time_us", 0, recs[0].get("time_us"))
    body = recs[1:]
    tail = []
    if len(body) >= 2 and body[-2].get("type") == "index" and body[-1].get("type") == "trailer":
        tail = body[-2:]
        body = body[:-2]
    else:
        diff("the last two records", ["index", "trailer"], [r.get("type") for r in body[-2:]])

    items = content_items(body)
    n = max(len(items), len(out_exp))
    shown = 0
    for i in range(n):
        if shown >= 40:
            diffs.append(f"... (more record differences not shown; {len(out_exp)} content records "
                         f"expected, {len(items)} in the dump, frame batches counted by frame)")
            break
        want = out_exp[i] if i < len(out_exp) else None
        got = items[i] if i < len(items) else None
        where = f"content record {i}" + (f" (offset {got['offset']}" + (
            f", {got['batch']})" if "batch" in got else ")") if got else "")
        if want is None:
            diff(where, "nothing (no more records)", {k: got.get(k) for k in ("type", "time_us")} |
                 ({"event": got["event"]} if "event" in got else {}))
            shown += 1
            continue
        kind, t, data = want
        wdesc = {"type": kind, "time_us": t}
        if kind == "frame":
            wdesc["payload"] = b64(data)
        elif kind == "screen_size":
            wdesc["width"], wdesc["height"] = data
        else:
            wdesc["event"] = data
        if got is None:
            diff(where, wdesc, "nothing (the dump has no more records)")
            shown += 1
            continue
        problems = []
        if got.get("type") != kind:
            problems.append(("type", kind, got.get("type")))
        else:
            if t is None:
                gt = got.get("time_us")
                if not isinstance(gt, int) or gt > MAX_TIME:
                    problems.append(("time_us", "at most 2^63 - 1 (D x 1000 overflows; no rule)", gt))
                else:
                    notes.append(f"{where}: D x 1000 exceeds 2^63 - 1; conversion.md has no rule, "
                                 f"the dump holds {gt}")
            elif got.get("time_us") != t:
                problems.append(("time_us", t, got.get("time_us")))
            if kind == "frame" and got.get("payload") != wdesc["payload"]:
                problems.append(("payload", wdesc["payload"], got.get("payload")))
            if kind == "screen_size" and (got.get("width"), got.get("height")) != data:
                problems.append(("size", list(data), [got.get("width"), got.get("height")]))
            if kind == "event":
                ge = got.get("event", {})
                for k in sorted(set(data) | set(ge)):
                    if ge.get(k, "<absent>") != data.get(k, "<absent>"):
                        problems.append((f"event.{k}", data.get(k, "<absent>"), ge.get(k, "<absent>")))
        if problems:
            shown += 1
            ctx = f"{kind} at {t}"
            if kind == "event":
                ctx += f" ({data['kind_name']}, label {data['label']!r})"
            for field, w, g in problems:
                diff(f"{where} [{ctx}] {field}", w, g)

    if tail:
        idx = tail[0].get("index", {})
        clock = clock_after(body[-1]) if body else 0
        if tail[0].get("time_us") != clock:
            diff("index record time_us", clock, tail[0].get("time_us"))
        if tail[1].get("index_offset") != tail[0].get("offset"):
            diff("trailer index_offset", tail[0].get("offset"), tail[1].get("index_offset"))
        want = rebuild_index(body, md, idx)
        for k, v in want.items():
            if idx.get(k) != v:
                diff(f"index.{k} (format.md 7.3 over the dump's records)", v, idx.get(k))
    return diffs


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    data = open(argv[0], "rb").read()
    events, fault, dropped, gaps = read_events(data)
    dump_text = ""
    if os.path.exists(argv[1]):
        dump_text = open(argv[1], encoding="utf-8").read()
    if not events:
        if not dump_text.strip():
            print("ok")
            return 0
        if fault is not None:
            print(f"the stream yields no record (fault: {fault}): conversion.md §3.6 says the tool "
                  f"SHOULD NOT leave an output behind, but a dump was given")
            return 1
        # READING: an input with no part at all (an empty file) ends cleanly; it
        # is not clear that "not a single record could be read" covers it, so an
        # output is accepted and checked as an empty recording.
        print("note: the stream holds no record and no fault; checking the dump as an empty "
              "recording (conversion.md §3.6 may also allow no output)", file=sys.stderr)
    if not dump_text.strip():
        print(f"the stream yields {len(events)} records: an output is required, the dump is empty or missing")
        return 1
    dump = json.loads(dump_text)
    md_exp, out_exp, _ = expected_import(events)
    notes = []
    diffs = compare(md_exp, out_exp, dump, notes)
    for n in notes:
        print("note: " + n, file=sys.stderr)
    if diffs:
        for d in diffs:
            print(d)
        print(f"{len(diffs)} difference(s); stream: {len(events)} records kept, {dropped} duplicates "
              f"dropped, {gaps} gaps, fault: {fault}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
