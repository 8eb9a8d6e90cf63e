#!/usr/bin/env python3
"""Build Teleport "protostream" session recordings for testing `tdpr import teleport`.

Written from spec/teleport.md alone (section 1 container, 1.5 worked example,
2 event field numbers, 3 mapping) and spec/tdp.md (TDP message layouts), with no
reference to tdpr's Rust code.  Python 3 standard library only.

    python3 conformance/teleport/make_streams.py [--out DIR]

writes cases/<id>.tar (the stream) and cases/<id>.json (what a correct reader
returns) next to this file.  The output is deterministic: the only
machine-dependent part is the deflate data, which comes from the local zlib.
"""

import argparse
import base64
import hashlib
import json
import os
import struct
import sys
import uuid
import zlib

# --------------------------------------------------------------------------
# Protobuf encoding, by hand
# --------------------------------------------------------------------------

WT_VARINT, WT_I64, WT_LEN, WT_I32 = 0, 1, 2, 5

# spec/teleport.md §1.2/§1.4 (revised): Teleport's reader turns gzip multistream
# OFF, reads only the first member of a body and discards the rest of the PartSize
# window, even a second valid member.  Set True to expect every member to be read
# (the behaviour an earlier revision of the spec described); check_streams.py
# follows the same switch.
READ_ALL_GZIP_MEMBERS = False

# gogo stdtime encodes an unset Go time.Time (0001-01-01T00:00:00Z) as this many
# seconds; the expected JSON writes such a time as null ("not set").
GO_ZERO_TIME_SECONDS = -62135596800


def varint(n):
    """Unsigned LEB128; negative numbers as 64-bit two's complement (10 bytes)."""
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wt):
    return varint((field << 3) | wt)


def f_varint(field, v):
    return key(field, WT_VARINT) + varint(v)


def f_len(field, data):
    return key(field, WT_LEN) + varint(len(data)) + data


def timestamp(unix_ns):
    """google.protobuf.Timestamp; proto3 defaults (0) omitted.  None = an unset
    Go time.Time, as gogo stdtime writes it (seconds = -62135596800)."""
    if unix_ns is None:
        return f_varint(1, GO_ZERO_TIME_SECONDS)
    secs, nanos = divmod(unix_ns, 1_000_000_000)
    out = b""
    if secs:
        out += f_varint(1, secs)
    if nanos:
        out += f_varint(2, nanos)
    return out


# Schemas: (field number, Teleport name, kind[, sub-schema]).
# kinds: string, bytes, bool, int (int32/int64/uint32/uint64/enum: varint),
#        ts (Timestamp, written when the value is set),
#        ts_always (Timestamp, nullable=false: always written),
#        embed (nullable=false embedded message: always written, even empty;
#               its fields come from the same flat dict, as Go promotes them),
#        map (map<string,string>, entries sorted by key),
#        msg (nullable message: written when the key is present, value a dict),
#        rep_string (repeated string).

METADATA = [
    (1, "Index", "int"),
    (2, "Type", "string"),
    (3, "ID", "string"),
    (4, "Code", "string"),
    (5, "Time", "ts_always"),
    (6, "ClusterName", "string"),
]
USER = [
    (1, "User", "string"),
    (2, "Login", "string"),
    (3, "Impersonator", "string"),
    (10, "UserKind", "int"),
    (14, "UserRoles", "rep_string"),
]
CERT_METADATA = [
    (1, "Subject", "string"), (2, "SerialNumber", "string"), (3, "UPN", "string"),
    (4, "CRLDistributionPoints", "rep_string"), (5, "KeyUsage", "int"),
    (7, "EnhancedKeyUsage", "rep_string"),
]
CA_OVERRIDE = [(1, "active", "bool"), (2, "public_key_hash", "string")]
SESSION = [(1, "SessionID", "string"), (2, "WithMFA", "string"), (3, "PrivateKeyPolicy", "string")]
CONNECTION = [(1, "LocalAddr", "string"), (2, "RemoteAddr", "string"), (3, "Protocol", "string")]
STATUS = [(1, "Success", "bool"), (2, "Error", "string"), (3, "UserMessage", "string")]

E_META = (1, "Metadata", "embed", METADATA)
E_USER = (2, "UserMetadata", "embed", USER)
E_SESS = (3, "SessionMetadata", "embed", SESSION)

SCHEMAS = {
    69: [E_META, (2, "Message", "bytes"), (3, "DelayMilliseconds", "int"), (4, "TDPBMessage", "bytes")],
    59: [E_META, E_USER, E_SESS,
         (4, "ConnectionMetadata", "embed", CONNECTION),
         (5, "Status", "embed", STATUS),
         (6, "WindowsDesktopService", "string"), (7, "DesktopAddr", "string"),
         (8, "Domain", "string"), (9, "WindowsUser", "string"),
         (10, "DesktopLabels", "map"), (11, "DesktopName", "string"),
         (12, "AllowUserCreation", "bool"), (13, "NLA", "bool"),
         (14, "CertMetadata", "msg", CERT_METADATA), (15, "CAOverride", "msg", CA_OVERRIDE)],
    60: [E_META, E_USER, E_SESS,
         (4, "WindowsDesktopService", "string"), (5, "DesktopAddr", "string"),
         (6, "Domain", "string"), (7, "WindowsUser", "string"),
         (8, "DesktopLabels", "map"), (9, "StartTime", "ts_always"), (10, "EndTime", "ts_always"),
         (11, "DesktopName", "string"), (12, "Recorded", "bool"),
         (13, "Participants", "rep_string"),
         (14, "ConnectionMetadata", "embed", CONNECTION)],
    254: [E_META, E_USER, E_SESS,
          (4, "ConnectionMetadata", "embed", CONNECTION),
          (5, "Status", "embed", STATUS),
          (6, "DesktopAddr", "string"), (7, "LinuxUser", "string"),
          (8, "DesktopLabels", "map"), (9, "DesktopName", "string")],
    255: [E_META, E_USER, E_SESS,
          (4, "ConnectionMetadata", "embed", CONNECTION),
          (5, "DesktopAddr", "string"), (6, "LinuxUser", "string"),
          (7, "DesktopLabels", "map"), (8, "StartTime", "ts_always"), (9, "EndTime", "ts_always"),
          (10, "DesktopName", "string"), (11, "Recorded", "bool"),
          (12, "Participants", "rep_string")],
}
_CLIP = [E_META, E_USER, E_SESS, (4, "ConnectionMetadata", "embed", CONNECTION),
         (5, "DesktopAddr", "string"), (6, "Length", "int"), (7, "DesktopName", "string")]
_DIR_START = [E_META, E_USER, E_SESS, (4, "ConnectionMetadata", "embed", CONNECTION),
              (5, "Status", "embed", STATUS), (6, "DesktopAddr", "string"),
              (7, "DirectoryName", "string"), (8, "DirectoryID", "int"), (9, "DesktopName", "string")]
_DIR_RW = _DIR_START[:8] + [(9, "Path", "string"), (10, "Length", "int"),
                            (11, "Offset", "int"), (12, "DesktopName", "string")]
SCHEMAS.update({70: _CLIP, 71: _CLIP, 106: _DIR_START, 107: _DIR_RW, 108: _DIR_RW})

TYPES = {
    69: "desktop.recording",
    59: "windows.desktop.session.start",
    60: "windows.desktop.session.end",
    70: "desktop.clipboard.send",
    71: "desktop.clipboard.receive",
    106: "desktop.directory.share",
    107: "desktop.directory.read",
    108: "desktop.directory.write",
    # Not documented (spec/teleport.md §2.4: "Linux desktop type strings and
    # codes were not found"): placeholders chosen here.
    254: "linux.desktop.session.start",
    255: "linux.desktop.session.end",
}


def encode_msg(schema, vals):
    """Encode `vals` (flat dict of Teleport names) with `schema`, gogo style:
    ascending field numbers, proto3 defaults omitted, embedded messages always."""
    out = b""
    for entry in schema:
        num, name, kind = entry[0], entry[1], entry[2]
        if kind == "embed":
            out += f_len(num, encode_msg(entry[3], vals))
            continue
        if name not in vals:
            continue
        v = vals[name]
        if kind == "string":
            if v:
                out += f_len(num, v.encode())
        elif kind == "bytes":
            if v:
                out += f_len(num, v)
        elif kind == "bool":
            if v:
                out += f_varint(num, 1)
        elif kind == "int":
            if v:
                out += f_varint(num, v)
        elif kind == "ts":
            out += f_len(num, timestamp(v))
        elif kind == "ts_always":
            out += f_len(num, timestamp(v))
        elif kind == "msg":
            out += f_len(num, encode_msg(entry[3], v))
        elif kind == "map":
            for k in sorted(v):
                out += f_len(num, f_len(1, k.encode()) + f_len(2, v[k].encode()))
        elif kind == "rep_string":
            for s in v:
                out += f_len(num, s.encode())
        else:
            raise ValueError(kind)
    return out


def oneof(member, body):
    return f_len(member, body)


# --------------------------------------------------------------------------
# Events: OneOf bytes + the expected JSON object
# --------------------------------------------------------------------------

T0 = 1704067200 * 10**9  # 2024-01-01T00:00:00Z
CLUSTER = "teleport.example.com"


def det_uuid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "tdpr-teleport-fixture:" + "/".join(map(str, parts))))


def ms(n):
    return n * 1_000_000


def recording(index, time_ns, delay, message=None, tdpb=None, cluster=CLUSTER, extra=b""):
    vals = {"Index": index, "Type": "desktop.recording", "Time": time_ns, "ClusterName": cluster,
            "DelayMilliseconds": delay}
    if message is not None:
        vals["Message"] = message
    if tdpb is not None:
        vals["TDPBMessage"] = tdpb
    rec = oneof(69, encode_msg(SCHEMAS[69], vals) + extra)
    ev = {"index": index, "member": 69, "type": "desktop.recording", "time_unix_ns": time_ns,
          "delay_ms": delay, "message_hex": (message if message is not None else tdpb).hex(),
          "tdpb": message is None}
    return rec, ev


def audit_event(member, vals):
    """A non-recording event; vals holds Index, Time and the other Teleport names."""
    vals = dict(vals)
    vals.setdefault("Type", TYPES[member])
    rec = oneof(member, encode_msg(SCHEMAS[member], vals))
    fields = {}
    for k, v in vals.items():
        if k in ("Index", "Type", "Time"):
            continue
        fields[k] = v
    ev = {"index": vals["Index"], "member": member, "type": vals["Type"],
          "time_unix_ns": vals["Time"], "fields": fields}
    return rec, ev


# --------------------------------------------------------------------------
# TDP messages (spec/tdp.md §3, §4)
# --------------------------------------------------------------------------

def png_chunk(ctype, data):
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def make_png(w, h, seed, level=9, extra_text=b""):
    """A real RGB PNG; pixels from a hash of `seed`."""
    raw = bytearray()
    stream = hashlib.sha256(str(seed).encode()).digest()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            i = (x * 7 + y * 13) % 30
            raw += stream[i:i + 3]
    png = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    if extra_text:
        png += png_chunk(b"tEXt", b"Comment\x00" + extra_text)
    png += png_chunk(b"IDAT", zlib.compress(bytes(raw), level)) + png_chunk(b"IEND", b"")
    return png


def noise(n, seed):
    out = bytearray()
    c = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{c}".encode()).digest()
        c += 1
    return bytes(out[:n])


def tdp_screen_spec(w, h):
    return b"\x01" + struct.pack(">II", w, h)


def tdp_png_frame(l, t, r, b, png):
    return b"\x02" + struct.pack(">IIII", l, t, r, b) + png


def tdp_mouse_move(x, y):
    return b"\x03" + struct.pack(">II", x, y)


def tdp_mouse_button(button, state):
    return bytes([4, button, state])


def tdp_png2_frame(l, t, r, b, png):
    return b"\x1b" + struct.pack(">IIIII", len(png), l, t, r, b) + png


def tdp_alert(msg, severity):
    m = msg.encode()
    return b"\x1c" + struct.pack(">I", len(m)) + m + bytes([severity])


def tdp_fastpath(seed, n=40):
    data = noise(n, seed)
    upd = bytes([0x01]) + struct.pack("<H", len(data)) + data   # TS_FP_UPDATE, bitmap
    pdu = bytes([0x00, 2 + len(upd)]) + upd                    # fpOutputHeader + 1-byte length
    return b"\x1d" + struct.pack(">I", len(pdu)) + pdu


def tdp_activated(io, user, w, h):
    return b"\x1f" + struct.pack(">HHHH", io, user, w, h)


def pb_msg(*fields):
    return b"".join(fields)


def tdpb_frame(envelope):
    return struct.pack(">I", len(envelope)) + envelope


# TDPB payload field numbers inside the payload messages are not in spec/tdp.md;
# these follow the declaration order of the names it lists (a guess). Only the
# envelope field numbers (§4 table) and the framing are documented.
def tdpb_screen_spec(w, h):
    return tdpb_frame(f_len(10, pb_msg(f_varint(1, w), f_varint(2, h))))


def tdpb_server_hello(io, user, w, h):
    spec = pb_msg(f_varint(1, io), f_varint(2, user), f_varint(3, w), f_varint(4, h))
    return tdpb_frame(f_len(2, pb_msg(f_len(1, spec), f_varint(2, 1))))


def tdpb_png(l, t, r, b, png):
    rect = pb_msg(f_varint(1, l) if l else b"", f_varint(2, t) if t else b"", f_varint(3, r), f_varint(4, b))
    return tdpb_frame(f_len(3, pb_msg(f_len(1, rect), f_len(2, png))))


def tdpb_mouse_move(x, y):
    return tdpb_frame(f_len(7, pb_msg(f_varint(1, x), f_varint(2, y))))


def tdpb_mouse_button(button, pressed):
    return tdpb_frame(f_len(8, pb_msg(f_varint(1, button), f_varint(2, 1) if pressed else b"")))


def tdpb_fastpath(seed):
    pdu = tdp_fastpath(seed)[5:]
    return tdpb_frame(f_len(4, f_len(1, pdu)))


# --------------------------------------------------------------------------
# Container (spec/teleport.md §1)
# --------------------------------------------------------------------------

def gzip_member(data, corrupt_crc=False):
    """RFC 1952 member: Go-style header (no name, mtime 0, XFL 4, OS 255),
    raw deflate at level 1, CRC-32 and ISIZE little-endian."""
    c = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    deflated = c.compress(data) + c.flush()
    crc = zlib.crc32(data)
    if corrupt_crc:
        crc ^= 0xDEADBEEF
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\xff" + deflated
            + struct.pack("<II", crc, len(data) & 0xFFFFFFFF))


def records(recs):
    return b"".join(struct.pack(">I", len(r)) + r for r in recs)


def part(body, padding=0, version=1, flags=0, part_size=None):
    hdr = struct.pack(">QQQ", version, len(body) if part_size is None else part_size, padding)
    if version == 2:
        hdr += bytes([flags]) + b"\x00" * 7
    return hdr + body + b"\x00" * padding


def gz_part(recs, padding=0, **kw):
    return part(gzip_member(records(recs)), padding=padding, **kw)


# --------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------

class Session:
    """Builds one session's events with consecutive indexes."""

    def __init__(self, name, kind="windows", start_ns=T0, first_delay_offset_ms=15):
        self.name = name
        self.kind = kind
        self.sid = det_uuid(name, "session")
        self.index = 0
        self.start_ns = start_ns
        self.rec0_ns = start_ns + ms(first_delay_offset_ms)
        self.items = []   # (record bytes, expected event)
        self.common = {
            "ClusterName": CLUSTER,
            "User": "alice",
            "Login": "Administrator" if kind == "windows" else "ubuntu",
            "SessionID": self.sid,
        }
        self.desktop = {
            "DesktopAddr": "10.0.0.15:3389" if kind == "windows" else "10.0.0.16:5900",
            "DesktopName": "win-dc-01" if kind == "windows" else "ubuntu-desk-01",
            "DesktopLabels": {"env": "prod", "teleport.dev/origin": "config-file"},
        }

    def add(self, item):
        self.items.append(item)
        return item

    def next_index(self):
        i = self.index
        self.index += 1
        return i

    def rec(self, delay, message=None, tdpb=None, extra=b""):
        return self.add(recording(self.next_index(), self.rec0_ns + ms(delay), delay,
                                  message=message, tdpb=tdpb, extra=extra))

    def event(self, member, time_ns, **fields):
        vals = {"Index": self.next_index(), "Type": TYPES[member],
                "ID": det_uuid(self.name, "event", self.index), "Time": time_ns}
        if "Code" in fields:
            vals["Code"] = fields.pop("Code")
        vals["ClusterName"] = CLUSTER
        vals.update(fields)
        return self.add(audit_event(member, vals))

    def win_start(self, success=True, **extra):
        f = dict(Code="TDP00I" if success else "TDP00W",
                 User="alice", Login="Administrator", SessionID=self.sid,
                 LocalAddr="203.0.113.7:51234", RemoteAddr=self.desktop["DesktopAddr"],
                 Protocol="tdp", Success=success,
                 WindowsDesktopService="4a2c9a8e-7d0b-4c3e-9a53-0d6a9b1f6c21",
                 DesktopAddr=self.desktop["DesktopAddr"], Domain="EXAMPLE",
                 WindowsUser="Administrator", DesktopLabels=self.desktop["DesktopLabels"],
                 DesktopName=self.desktop["DesktopName"], NLA=True)
        f.update(extra)
        return self.event(59, self.start_ns, **f)

    def win_end(self, end_delay_ms):
        end_ns = self.rec0_ns + ms(end_delay_ms)
        return self.event(60, end_ns, Code="TDP01I",
                          User="alice", Login="Administrator", SessionID=self.sid,
                          WindowsDesktopService="4a2c9a8e-7d0b-4c3e-9a53-0d6a9b1f6c21",
                          DesktopAddr=self.desktop["DesktopAddr"], Domain="EXAMPLE",
                          WindowsUser="Administrator", DesktopLabels=self.desktop["DesktopLabels"],
                          StartTime=self.start_ns, EndTime=end_ns,
                          DesktopName=self.desktop["DesktopName"], Recorded=True,
                          Participants=["alice"])

    def linux_start(self):
        return self.event(254, self.start_ns, Code="LDP00I",
                          User="alice", Login="ubuntu", SessionID=self.sid,
                          LocalAddr="203.0.113.7:51240", RemoteAddr=self.desktop["DesktopAddr"],
                          Protocol="tdp", Success=True,
                          DesktopAddr=self.desktop["DesktopAddr"], LinuxUser="ubuntu",
                          DesktopLabels=self.desktop["DesktopLabels"],
                          DesktopName=self.desktop["DesktopName"])

    def linux_end(self, end_delay_ms):
        end_ns = self.rec0_ns + ms(end_delay_ms)
        return self.event(255, end_ns, Code="LDP01I",
                          User="alice", Login="ubuntu", SessionID=self.sid,
                          LocalAddr="203.0.113.7:51240", RemoteAddr=self.desktop["DesktopAddr"],
                          Protocol="tdp",
                          DesktopAddr=self.desktop["DesktopAddr"], LinuxUser="ubuntu",
                          DesktopLabels=self.desktop["DesktopLabels"],
                          StartTime=self.start_ns, EndTime=end_ns,
                          DesktopName=self.desktop["DesktopName"], Recorded=True,
                          Participants=["alice"])

    def who(self):
        return dict(User="alice", Login="Administrator", SessionID=self.sid)

    def typical_windows(self, n_frames=4, seed=0, with_end=True):
        """screen spec (0), activation, start, frames/mouse..., end."""
        self.rec(0, tdp_screen_spec(1280, 720))
        self.rec(41, tdp_activated(1003, 1007, 1280, 720))
        self.win_start()
        d = 120
        for i in range(n_frames):
            k = (seed * 31 + i) % 4
            if k == 0:
                self.rec(d, tdp_png_frame(64 * i, 0, 64 * i + 8, 8, make_png(8, 8, (self.name, i))))
            elif k == 1:
                self.rec(d, tdp_mouse_move(100 + 7 * i, 200 + 3 * i))
            elif k == 2:
                self.rec(d, tdp_mouse_button(0, i % 2))
            else:
                self.rec(d, tdp_fastpath((self.name, i)))
            d += 37 + (i * 13) % 50
        if with_end:
            self.win_end(d + 500)
        return self

    def recs(self):
        return [r for r, _ in self.items]

    def evs(self):
        return [e for _, e in self.items]


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

CASES = []


def case(cid, description, data, events, duplicates_dropped=0, error=None):
    CASES.append((cid, data, {"id": cid, "description": description, "events": events,
                              "duplicates_dropped": duplicates_dropped, "error": error}))


def build_windows_basic():
    s = Session("windows_basic")
    s.rec(0, tdp_screen_spec(1280, 720))
    s.rec(41, tdp_activated(1003, 1007, 1280, 720))
    s.win_start(CertMetadata={})
    s.rec(120, tdp_png_frame(0, 0, 16, 16, make_png(16, 16, "wb-1")))
    s.rec(163, tdp_fastpath("wb-2"))
    s.rec(250, tdp_mouse_move(640, 360))
    s.rec(251, tdp_mouse_button(0, 1))
    s.rec(318, tdp_mouse_button(0, 0))
    s.rec(1500, tdp_png2_frame(16, 0, 32, 16, make_png(16, 16, "wb-3")))
    s.win_end(2100)
    case("windows_basic",
         "One V1 part, unpadded. A Windows desktop session: two DesktopRecording events "
         "(screen spec, delay 0; connection activated, delay 41), then "
         "WindowsDesktopSessionStart (index 2, Time 15 ms before the first recording), six "
         "more recordings (PNG frame, fast-path PDU, mouse move, two mouse buttons, PNG2 "
         "frame), WindowsDesktopSessionEnd last. Embedded messages written gogo-style "
         "(always present; the end event's empty ConnectionMetadata is `72 00`); the start "
         "event carries an empty CertMetadata (`72 00`, as current audit.go writes it). "
         "Timestamps in `fields` (StartTime, EndTime) are Unix nanoseconds.",
         gz_part(s.recs()), s.evs())


def build_failed_start():
    s = Session("windows_failed_start")
    s.rec(0, tdp_screen_spec(1024, 768))
    s.rec(12, tdp_alert("Could not connect to the desktop: authentication failed", 2))
    s.win_start(success=False, Error="RDP client exited: authentication failed",
                UserMessage="Could not connect to Windows desktop")
    case("windows_failed_start",
         "A failed Windows session: two recordings (screen spec, error alert), then a "
         "WindowsDesktopSessionStart with Status.Success false (Success omitted on the wire "
         "as a proto3 default, Error and UserMessage set, Code TDP00W); no end event.",
         gz_part(s.recs()), s.evs())


def build_linux_tdpb():
    s = Session("linux_tdpb", kind="linux")
    s.rec(0, tdpb=tdpb_screen_spec(1920, 1080))
    s.rec(33, tdpb=tdpb_server_hello(1003, 1004, 1920, 1080))
    s.linux_start()
    s.rec(95, tdpb=tdpb_png(0, 0, 16, 16, make_png(16, 16, "lx-1")))
    s.rec(140, tdpb=tdpb_fastpath("lx-2"))
    s.rec(201, tdpb=tdpb_mouse_move(960, 540))
    s.rec(260, tdpb=tdpb_mouse_button(1, True))
    s.rec(330, tdpb=tdpb_mouse_button(1, False))
    s.linux_end(900)
    case("linux_tdpb",
         "A Linux desktop session (LinuxDesktopSessionStart 254 after the first two "
         "recordings, LinuxDesktopSessionEnd 255 last) whose recordings use TDPBMessage "
         "(field 4): each is a TDPB frame with its 4-byte big-endian length. The Linux type "
         "strings (linux.desktop.session.start/end) and codes (LDP00I/LDP01I) are "
         "placeholders: spec/teleport.md does not give them. Payload field numbers inside the "
         "TDPB envelopes are guessed from declaration order; only the framing matters here.",
         gz_part(s.recs()), s.evs())


def build_clipboard_and_directory():
    s = Session("clipboard_and_directory")
    s.rec(0, tdp_screen_spec(1280, 720))
    s.rec(40, tdp_activated(1003, 1007, 1280, 720))
    s.win_start()
    desk = dict(DesktopAddr=s.desktop["DesktopAddr"], DesktopName=s.desktop["DesktopName"])
    t = s.rec0_ns
    s.rec(200, tdp_mouse_move(10, 20))
    s.event(70, t + ms(260), Code="TDP02I", **s.who(), **desk, Length=1234)
    s.rec(300, tdp_fastpath("cd-1"))
    s.event(71, t + ms(410), Code="TDP03I", **s.who(), **desk, Length=56)
    s.event(106, t + ms(500), Code="TDP04I", **s.who(), Success=True, **desk,
            DirectoryName="shared", DirectoryID=2)
    s.rec(520, tdp_mouse_button(2, 1))
    s.event(107, t + ms(600), Code="TDP05I", **s.who(), Success=True, **desk,
            DirectoryName="shared", DirectoryID=2, Path="docs/report.txt",
            Length=4096, Offset=8192)
    s.event(107, t + ms(650), Code="TDP06W", **s.who(), Success=False,
            Error="read failed: permission denied", UserMessage="Failed to read file",
            **desk, DirectoryName="shared", DirectoryID=2, Path="secret/keys.txt",
            Length=512, Offset=0)
    s.event(108, t + ms(700), Code="TDP06I", **s.who(), Success=True, **desk,
            DirectoryName="shared", DirectoryID=2, Path="docs/new file.txt",
            Length=17, Offset=5_000_000_000)
    s.rec(720, tdp_mouse_button(2, 0))
    s.win_end(1000)
    case("clipboard_and_directory",
         "An old-style (2022-era) Windows stream with DesktopClipboardSend/Receive (70/71) and "
         "DesktopSharedDirectoryStart/Read/Write (106/107/108) between recordings. Their "
         "ConnectionMetadata is empty (`22 00`). One Read has Status.Success false (omitted "
         "on the wire), Error and UserMessage, and code TDP06W (the newest audit.go gives "
         "failed reads the write failure code; key on the member, not the code). The Write's Offset needs a "
         "5-byte varint (5000000000).",
         gz_part(s.recs()), s.evs())


def build_multi_part():
    s = Session("multi_part").typical_windows(n_frames=12, seed=1)
    recs = s.recs()
    cuts = [0, 4, 9, 12, len(recs)]
    data = b"".join(gz_part(recs[a:b]) for a, b in zip(cuts, cuts[1:]))
    case("multi_part",
         f"Four V1 parts, unpadded, each its own gzip stream, records never spanning parts "
         f"(part sizes in records: {[b - a for a, b in zip(cuts, cuts[1:])]}).",
         data, s.evs())


def build_padded():
    s = Session("padded").typical_windows(n_frames=10, seed=2)
    recs = s.recs()
    cuts = [0, 5, 10, len(recs)]
    pads = [4096, 3000, 0]
    data = b"".join(gz_part(recs[a:b], padding=p) for (a, b), p in zip(zip(cuts, cuts[1:]), pads))
    case("padded",
         "Three V1 parts; the first two padded with zero bytes after the gzip body "
         "(PaddingSize 4096 and 3000), the last unpadded.",
         data, s.evs())


def build_padding_inside_gzip():
    s = Session("padding_inside_gzip").typical_windows(n_frames=8, seed=3)
    recs = s.recs()
    body0 = gzip_member(records(recs[:6])) + b"\x00" * 1500
    data = part(body0) + gz_part(recs[6:])
    case("padding_inside_gzip",
         "Two V1 parts. The first part's PartSize window holds its gzip stream followed by "
         "1500 zero bytes (the old-bug layout, PaddingSize 0); a reader discards them "
         "silently and reads the second part.",
         data, s.evs())


def build_two_gzip_members():
    s = Session("two_gzip_members").typical_windows(n_frames=8, seed=4)
    recs = s.recs()
    body0 = gzip_member(records(recs[:4])) + gzip_member(records(recs[4:8]))
    data = part(body0) + gz_part(recs[8:])
    evs = s.evs() if READ_ALL_GZIP_MEMBERS else s.evs()[:4] + s.evs()[8:]
    case("two_gzip_members",
         "Two V1 parts; the first part's body is two concatenated, valid gzip members (4 "
         "records each), then the second part. "
         + ("A reader must read both members." if READ_ALL_GZIP_MEMBERS else
            "Per spec/teleport.md §1.2/§1.4, Teleport reads only the first member "
            "(multistream off) and silently discards the rest of the PartSize window, so "
            "events with indexes 4-7 are NOT returned (a gap, not an error) and reading "
            "continues with the second part."),
         data, evs)


def build_empty_part():
    s = Session("empty_part").typical_windows(n_frames=6, seed=5)
    recs = s.recs()
    data = gz_part(recs[:5]) + part(b"", padding=512) + part(b"", padding=0) + gz_part(recs[5:])
    case("empty_part",
         "Four V1 parts: a normal part, a part with PartSize 0 and PaddingSize 512 (512 zero "
         "bytes follow its header), a part with PartSize 0 and PaddingSize 0 (a bare header), "
         "then a normal part.",
         data, s.evs())


def build_duplicate_indexes():
    s = Session("duplicate_indexes").typical_windows(n_frames=10, seed=6)
    items = s.items  # indexes 0..13
    # part 0: 0..6; part 1 (resumed upload): 4..10 again from 4; part 2: 9..13 and a gap
    p0 = items[0:7]
    p1 = items[4:11]
    p2 = items[9:13]
    # Build a gap: skip index 12 in the stream? Keep every event, but add a
    # final event with an index jump (gaps are only counted, never dropped).
    last = items[13]
    rec_last, ev_last = last
    # re-encode the end event with Index 20 (a gap of 6)
    vals_end = {"Index": 20, "Type": ev_last["type"], "Time": ev_last["time_unix_ns"]}
    vals_end.update(ev_last["fields"])
    rec_gap, ev_gap = audit_event(ev_last["member"], vals_end)
    parts = [p0, p1, p2 + [(rec_gap, ev_gap)]]
    data = b"".join(gz_part([r for r, _ in p]) for p in parts)
    seen, out, dropped = -1, [], 0
    for p in parts:
        for _, e in p:
            if e["index"] <= seen:
                dropped += 1
                continue
            seen = e["index"]
            out.append(e)
    case("duplicate_indexes",
         f"A resumed upload: part 0 holds indexes 0-6, part 1 repeats 4-6 and continues to "
         f"10, part 2 repeats 9-10, then 11, 12 and the end event with index 20 (a gap: "
         f"counted, not dropped). {dropped} events have an index <= the last returned one and "
         f"are dropped.",
         data, out, duplicates_dropped=dropped)


def build_unknown_member():
    s = Session("unknown_member")
    s.rec(0, tdp_screen_spec(1280, 720))
    s.rec(41, tdp_activated(1003, 1007, 1280, 720))
    s.win_start()
    s.rec(100, tdp_mouse_move(1, 2))
    # member 5 (SessionStart): only Metadata, written gogo-style
    idx = s.next_index()
    t5 = s.rec0_ns + ms(130)
    meta5 = encode_msg(METADATA, {"Index": idx, "Type": "session.start", "ID": det_uuid("um", 5),
                                  "Code": "T2000I", "Time": t5, "ClusterName": CLUSTER})
    s.add((oneof(5, f_len(1, meta5) + f_len(2, b"")),
           {"index": idx, "member": 5, "type": "session.start", "time_unix_ns": t5, "fields": {}}))
    s.rec(150, tdp_mouse_move(3, 4))
    # invented member 9999 with a Metadata sub-message and other fields of every wire type
    idx = s.next_index()
    t9 = s.rec0_ns + ms(170)
    meta9 = encode_msg(METADATA, {"Index": idx, "Type": "future.event", "ID": det_uuid("um", 9999),
                                  "Code": "X0000I", "Time": t9, "ClusterName": CLUSTER})
    body9 = (f_len(1, meta9) + f_len(2, b"payload") + f_varint(3, 300)
             + key(4, WT_I64) + struct.pack("<Q", 7) + key(5, WT_I32) + struct.pack("<I", 9))
    s.add((oneof(9999, body9),
           {"index": idx, "member": 9999, "type": "future.event", "time_unix_ns": t9, "fields": {}}))
    # a known recording with an unknown field 99 (varint) appended
    _, ev_x = s.rec(200, tdp_mouse_button(0, 1), extra=f_varint(99, 42))
    s.win_end(400)
    case("unknown_member",
         "A Windows session with two OneOf members the importer does not know between "
         "recordings: member 5 (SessionStart, only Metadata and an empty field 2) and an "
         "invented member 9999 (Metadata plus fields of wire types LEN, VARINT, I64 and I32). "
         "Their `fields` are left empty here: only index, type and time (from the Metadata "
         "in field 1) are expected. Teleport knows member 5 but its reader would fail on "
         "9999; a reader that skips or keeps unknown members should still return every "
         "other event. The recording at "
         f"index {ev_x['index']} also carries an unknown field 99 after its known fields (ignore it; its "
         "message_hex is field 2 only).",
         gz_part(s.recs()), s.evs())


def build_non_monotonic():
    s = Session("non_monotonic_delays")
    s.rec(0, tdp_screen_spec(800, 600))
    s.win_start()
    s.rec(100, tdp_mouse_move(10, 10))
    s.rec(90, tdp_png_frame(0, 0, 8, 8, make_png(8, 8, "nm")))
    s.rec(200, tdp_mouse_move(20, 20))
    s.rec(200, tdp_mouse_move(30, 30))
    s.win_end(300)
    case("non_monotonic_delays",
         "Recordings with delays 0, 100, 90, 200, 200 in index order (send and receive "
         "goroutines race); each event's Metadata.Time follows its own delay, so times also "
         "go backwards once. A reader returns them as stored (an importer clamps and counts).",
         gz_part(s.recs()), s.evs())


def big_recording(index, time_ns, delay, target_len, seed):
    """A DesktopRecording whose OneOf is exactly target_len bytes, holding a legacy
    PNG frame (type 2) with a real, stored-deflate PNG padded with a tEXt chunk."""
    w, h = 60, 60
    # find the tEXt length that makes the OneOf exactly target_len bytes
    raw_text = noise(70000, seed).hex().encode()  # printable
    def build(n):
        png = make_png(w, h, seed, level=0, extra_text=raw_text[:n])
        return recording(index, time_ns, delay, message=tdp_png_frame(0, 0, w, h, png))
    n = target_len - len(build(0)[0])
    for _ in range(10):
        r = build(n)
        diff = target_len - len(r[0])
        if diff == 0:
            return r
        n += diff
    raise RuntimeError("could not hit target length")


def build_large_message():
    s = Session("large_message")
    s.rec(0, tdp_screen_spec(1280, 720))
    s.win_start()
    s.add(big_recording(s.next_index(), s.rec0_ns + ms(80), 80, 65536, "large"))
    s.rec(120, tdp_mouse_move(5, 5))
    s.win_end(300)
    case("large_message",
         "A record whose OneOf is exactly 65536 bytes (MaxProtoMessageSizeBytes, the largest "
         "allowed): a legacy PNG frame (type 2) holding a real PNG with stored (level 0) "
         "IDAT and a large tEXt chunk of hex text.",
         gz_part(s.recs()), s.evs())


def build_v2_unencrypted():
    s = Session("v2_unencrypted").typical_windows(n_frames=4, seed=7)
    recs = s.recs()
    data = gz_part(recs[:3], version=2, flags=0) + gz_part(recs[3:])
    case("v2_unencrypted",
         "Edge case: the first part has a V2 header (32 bytes) with flags byte 0x00, i.e. not "
         "encrypted, followed by a plain gzip body; the second part is V1. spec/teleport.md "
         "§1.4 only decrypts when flag 0x01 is set, so this reads normally (Teleport's writer "
         "never produces it).",
         data, s.evs())


# ---- faults --------------------------------------------------------------

def two_part_session(name, n_frames=6, seed=0):
    s = Session(name).typical_windows(n_frames=n_frames, seed=seed)
    return s, s.items[:4], s.items[4:]


def build_truncated_in_header():
    s, a, b = two_part_session("truncated_in_header", seed=8)
    full = gz_part([r for r, _ in a]) + gz_part([r for r, _ in b])
    cut = len(gz_part([r for r, _ in a])) + 13
    case("truncated_in_header",
         "Two parts; the input ends 13 bytes into the second part's 24-byte header. The "
         "first part's events are returned.",
         full[:cut], [e for _, e in a], error={"class": "truncated", "part": 1})


def whole_records(stream):
    out, pos = [], 0
    while pos + 4 <= len(stream):
        n = struct.unpack(">I", stream[pos:pos + 4])[0]
        if pos + 4 + n > len(stream):
            break
        out.append(stream[pos + 4:pos + 4 + n])
        pos += 4 + n
    return out, pos


def partial_gunzip(body):
    d = zlib.decompressobj(31)
    try:
        return d.decompress(body)
    except zlib.error:
        return b""


def build_truncated_in_body():
    s = Session("truncated_in_body")
    s.rec(0, tdp_screen_spec(1280, 720))
    s.rec(41, tdp_activated(1003, 1007, 1280, 720))
    s.win_start()
    d = 100
    for i in range(60):
        if i % 3 == 0:
            s.rec(d, tdp_png_frame(16 * (i % 40), 0, 16 * (i % 40) + 24, 24,
                                   make_png(24, 24, ("tib", i))))
        elif i % 3 == 1:
            s.rec(d, tdp_fastpath(("tib", i), n=120))
        else:
            s.rec(d, tdp_mouse_move(3 * i, 2 * i))
        d += 33
    s.win_end(d + 100)
    items = s.items
    a, b = items[:5], items[5:]
    p0 = gz_part([r for r, _ in a])
    body1 = gzip_member(records([r for r, _ in b]))
    hdr1 = struct.pack(">QQQ", 1, len(body1), 0)
    # pick a cut near the middle of body 1 whose decompressed prefix ends well
    # inside a record (at least 64 bytes from each record boundary), so that
    # every inflate implementation yields the same whole records
    bounds = [0]
    for r, _ in b:
        bounds.append(bounds[-1] + 4 + len(r))
    cut = len(body1) // 2
    while True:
        out = partial_gunzip(body1[:cut])
        if all(abs(len(out) - x) >= 64 for x in bounds):
            # stable under small changes of the cut too
            ok = True
            for dc in (-8, 8):
                o2 = partial_gunzip(body1[:cut + dc])
                if len(whole_records(o2)[0]) != len(whole_records(out)[0]):
                    ok = False
            if ok:
                break
        cut += 1
    recs, _ = whole_records(out)
    assert recs == [r for r, _ in b][:len(recs)]
    events = [e for _, e in a] + [e for _, e in b][:len(recs)]
    case("truncated_in_body",
         f"Two parts; the input ends {cut} bytes into the second part's {len(body1)}-byte gzip "
         f"body (PartSize promises more). Decompressing the available bytes "
         f"(zlib.decompressobj(31)) yields {len(out)} bytes = {len(recs)} whole records of that "
         f"part (the next record boundary is at least 64 decompressed bytes away); those are "
         f"returned after the first part's events, then `truncated`.",
         p0 + hdr1 + body1[:cut], events, error={"class": "truncated", "part": 1})


def build_truncated_in_padding():
    s, a, b = two_part_session("truncated_in_padding", seed=9)
    data = gz_part([r for r, _ in a], padding=2048) + gz_part([r for r, _ in b], padding=2048)
    data = data[:-1000]
    case("truncated_in_padding",
         "Two parts, both with PaddingSize 2048; the input ends 1048 bytes into the second "
         "part's padding. All events of both parts are returned, then `truncated` (the "
         "padding must be fully present).",
         data, [e for _, e in a + b], error={"class": "truncated", "part": 1})


def build_bad_version():
    s, a, b = two_part_session("bad_version", seed=10)
    data = gz_part([r for r, _ in a]) + gz_part([r for r, _ in b], version=3)
    case("bad_version",
         "Two parts; the second part's header has ProtoVersion 3 (followed by an ordinary "
         "gzip body). The first part's events are returned, then `unsupported_version`.",
         data, [e for _, e in a], error={"class": "unsupported_version", "part": 1})


def age_body(seed, plain_len):
    fp = hashlib.sha256(f"key-{seed}".encode()).hexdigest()
    wrapped = base64.b64encode(noise(512, ("wrap", seed))).decode().rstrip("=")
    lines = [wrapped[i:i + 64] for i in range(0, len(wrapped), 64)]
    if len(lines[-1]) == 64:
        lines.append("")
    mac = base64.b64encode(noise(32, ("mac", seed))).decode().rstrip("=")
    head = ("age-encryption.org/v1\n-> teleport-recording-rsa4096 " + fp + "\n"
            + "\n".join(lines) + "\n--- " + mac + "\n").encode()
    return head + noise(16 + plain_len + 16, ("payload", seed))


def build_encrypted():
    data = part(age_body(1, 700), version=2, flags=1) + part(age_body(2, 300), version=2, flags=1)
    case("encrypted",
         "Two V2 parts (32-byte headers, flags byte 0x01) whose bodies are age v1 files "
         "(\"age-encryption.org/v1\\n-> teleport-recording-rsa4096 <fingerprint>\\n...\"). "
         "Not decryptable offline: no events, `encrypted` at the first part.",
         data, [], error={"class": "encrypted", "part": 0})


def build_bad_gzip_crc():
    s, a, b = two_part_session("bad_gzip_crc", seed=11)
    body1 = gzip_member(records([r for r, _ in b]), corrupt_crc=True)
    data = gz_part([r for r, _ in a]) + part(body1)
    case("bad_gzip_crc",
         "Two parts; the second part's gzip trailer has a wrong CRC-32 (ISIZE is right). "
         "Every record of the second part decompresses before the trailer is checked, so a "
         "streaming reader (like Teleport's) returns the events of both parts, then `gzip` "
         "at part 1. (A reader that validates a whole part before returning its events "
         "would return only the first part's events; see README.)",
         data, [e for _, e in a + b], error={"class": "gzip", "part": 1})


def build_not_gzip():
    s, a, b = two_part_session("not_gzip", seed=12)
    data = gz_part([r for r, _ in a]) + part(records([r for r, _ in b]))
    case("not_gzip",
         "Two parts; the second part's body is the uncompressed records (starts 00 00 ..., "
         "not the gzip magic 1f 8b). The first part's events, then `gzip` at part 1.",
         data, [e for _, e in a], error={"class": "gzip", "part": 1})


def build_zero_length_record():
    s, a, b = two_part_session("zero_length_record", seed=13)
    rb = [r for r, _ in b]
    stream = records(rb[:2]) + b"\x00\x00\x00\x00" + records(rb[2:])
    data = gz_part([r for r, _ in a]) + part(gzip_member(stream))
    case("zero_length_record",
         "Two parts; in the second part's decompressed body, a record length of 0 follows "
         "two good records. Events before it, then `record_length` at part 1.",
         data, [e for _, e in a + b[:2]], error={"class": "record_length", "part": 1})


def build_record_too_large():
    s, a, b = two_part_session("record_too_large", seed=14)
    big, _ = big_recording(len(a) + 1, s.rec0_ns + ms(50), 50, 65537, "too-large")
    assert len(big) == 65537
    rb = [r for r, _ in b]
    data = gz_part([r for r, _ in a]) + gz_part([rb[0], big] + rb[1:])
    case("record_too_large",
         "Two parts; in the second part, after one good record, a record with length 65537 "
         "(one above MaxProtoMessageSizeBytes; its 65537 bytes are present and are an "
         "otherwise valid DesktopRecording). Events before it, then `record_length` at part 1.",
         data, [e for _, e in a + b[:1]], error={"class": "record_length", "part": 1})


def build_bad_protobuf():
    s, a, b = two_part_session("bad_protobuf", seed=15)
    # A DesktopRecording whose last field (DelayMilliseconds, key 18) ends in a
    # truncated varint: `18 dc` (0xdc has its continuation bit set, then nothing).
    meta = encode_msg(METADATA, {"Index": 99, "Type": "desktop.recording",
                                 "Time": s.rec0_ns, "ClusterName": CLUSTER})
    inner = f_len(1, meta) + f_len(2, tdp_mouse_move(1, 1)) + b"\x18\xdc"
    bad = oneof(69, inner)
    rb = [r for r, _ in b]
    data = gz_part([r for r, _ in a]) + gz_part(rb[:1] + [bad] + rb[1:])
    case("bad_protobuf",
         "Two parts; in the second part, after one good record, a record whose OneOf is a "
         "DesktopRecording (member 69, length-consistent) ending in a truncated varint "
         "(`18 dc`: key of DelayMilliseconds, then a varint byte with its continuation bit set "
         "and nothing after it). Events before it, then `protobuf` at part 1.",
         data, [e for _, e in a + b[:1]], error={"class": "protobuf", "part": 1})


def build_spec_example():
    """The worked example of spec/teleport.md §1.5, byte for byte (except deflate)."""
    rec, ev = recording(0, T0, 1500, message=tdp_mouse_move(10, 20), cluster="c")
    expected = bytes.fromhex(
        "aa042e0a1e1211" + b"desktop.recording".hex() + "2a06088081c8ac06" + "320163" + "1209030000000a00000014" + "18dc0b")
    assert rec == expected, (rec.hex(), expected.hex())
    assert records([rec])[:4] == bytes.fromhex("00000031")
    case("spec_example",
         "The worked example of spec/teleport.md §1.5: one V1 part, one record of 49 bytes "
         "(DesktopRecording, mouse move x=10 y=20, delay 1500, index 0, time "
         "2024-01-01T00:00:00Z, cluster \"c\"). The record bytes equal the spec's; the "
         "deflate bytes (and so PartSize) come from local zlib.",
         gz_part([rec]), [ev])


def build_empty_file():
    case("empty_file",
         "Zero bytes: a clean EOF before the first header, i.e. a stream with no parts and no "
         "events (spec/teleport.md §1.4 step 1). Valid at the container level; an importer "
         "may still refuse it for lack of a session start.",
         b"", [])


def build_last_part_padded():
    s = Session("last_part_padded").typical_windows(n_frames=5, seed=16)
    recs = s.recs()
    data = gz_part(recs[:4], padding=1024) + gz_part(recs[4:], padding=2000)
    case("last_part_padded",
         "Two V1 parts, both padded (1024 and 2000 zero bytes), including the last one, as a "
         "stream that was closed/flushed but not completed leaves it.",
         data, s.evs())


def build_unset_times():
    s = Session("unset_times").typical_windows(n_frames=3, seed=17, with_end=False)
    end_ns = s.rec0_ns + ms(900)
    s.event(60, end_ns, Code="TDP01I", User="alice", Login="Administrator", SessionID=s.sid,
            WindowsDesktopService="4a2c9a8e-7d0b-4c3e-9a53-0d6a9b1f6c21",
            DesktopAddr=s.desktop["DesktopAddr"], Domain="EXAMPLE", WindowsUser="Administrator",
            DesktopLabels=s.desktop["DesktopLabels"], StartTime=None, EndTime=end_ns,
            DesktopName=s.desktop["DesktopName"], Recorded=True, Participants=["alice"])
    case("unset_times",
         "The end event's StartTime is an unset Go time: gogo stdtime writes it as seconds "
         "= -62135596800 (`4a 0b 08 80 92 b8 c3 98 fe ff ff ff 01`, a 10-byte negative "
         "varint), which spec/teleport.md §2 says to treat as \"time not set\"; the JSON "
         "gives it as null.",
         gz_part(s.recs()), s.evs())


def build_record_cut_in_member():
    s, a, b = two_part_session("record_cut_in_member", seed=18)
    rb = [r for r, _ in b]
    stream = records(rb[:2]) + records(rb[2:3])[:30]
    data = gz_part([r for r, _ in a]) + part(gzip_member(stream)) + gz_part(rb[3:])
    case("record_cut_in_member",
         "Three parts; the second part's gzip member is complete and valid but its "
         "decompressed data ends 26 bytes into the body of its third record (length prefix "
         "present). The input itself goes on (a third part follows). Events up to the cut, "
         "then `truncated` at part 1 (spec §1.4: only an EOF at a record boundary is a clean "
         "end).",
         data, [e for _, e in a + b[:2]], error={"class": "truncated", "part": 1})


BUILDERS = [
    build_spec_example, build_empty_file, build_windows_basic, build_failed_start, build_linux_tdpb,
    build_clipboard_and_directory, build_multi_part, build_padded,
    build_padding_inside_gzip, build_two_gzip_members, build_empty_part,
    build_duplicate_indexes, build_unknown_member, build_non_monotonic,
    build_large_message, build_v2_unencrypted,
    build_truncated_in_header, build_truncated_in_body, build_truncated_in_padding,
    build_bad_version, build_encrypted, build_bad_gzip_crc, build_not_gzip,
    build_zero_length_record, build_record_too_large, build_bad_protobuf,
    build_last_part_padded, build_unset_times, build_record_cut_in_member,
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "cases"))
    args = ap.parse_args()
    for b in BUILDERS:
        b()
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for cid, data, exp in CASES:
        with open(os.path.join(args.out, cid + ".tar"), "wb") as f:
            f.write(data)
        with open(os.path.join(args.out, cid + ".json"), "w") as f:
            f.write(json.dumps(exp, indent=2, ensure_ascii=False) + "\n")
        total += len(data)
        print(f"{cid:28s} {len(data):7d} bytes  {len(exp['events']):3d} events"
              f"  error={exp['error']}")
    print(f"{len(CASES)} cases, {total} bytes of streams")


if __name__ == "__main__":
    sys.exit(main())
