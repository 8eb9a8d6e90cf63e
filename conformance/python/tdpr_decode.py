#!/usr/bin/env python3
"""Decode and validate a tdpr recording; print its canonical JSON (spec/json.md).

Usage: tdpr_decode.py [FILE]      (reads standard input when FILE is absent)
As a module: tdpr_decode.decode(data: bytes) -> dict, the same JSON object.

Written from spec/format.md and spec/json.md alone, with the Python standard
library only. `end` is a validator's verdict (format.md
section 10, container level): the header (3); opening (9.1: the record at
offset 20, then the trailer and the index it points at); every record in file
order, each checked in the order of section 8 (framing, type and flags, payload
layout, rule 6, order rules and the trailer's `index_offset`, time overflow,
and last inflation and protobuf decoding); an unfinished end; and the index
rebuilt (7.3) and compared byte for byte. The first fault is reported with its
class and offset. A frame batch (5.8) is checked like any record: its table at
the layout step (a compressed one's sum of lengths against the inflated-length
limit), each of its frames' times at the time step, its DEFLATE block, when
compressed, at the inflation step. `records` holds
the records read before the first fault of the iteration, whatever opening
found. Protobuf payloads are decoded as format.md section 5.9 says.
Frames stay opaque: the optional TDP level of section 10.1 is not implemented.

Exit status: 0 when `end.state` is `finished`, 1 otherwise.
"""

import base64
import json
import struct
import sys
import zlib

SIGNATURE = b"\x89TDPR\r\n\x1a\n\x00"
HEADER_SIZE = 20
TRAILER_SIZE = 19
READER_VERSION = 1
MAX_TIME = 2**63 - 1
NO_KEYFRAME = 0xFFFFFFFF

RECORD_LENGTH_LIMIT = 64 * 1024 * 1024
METADATA_LIMIT = 1024 * 1024
INFLATED_LIMIT = 64 * 1024 * 1024
INDEX_ENTRY_LIMIT = 4_194_304

METADATA, FRAME, SCREEN_SIZE, FRAME_BATCH = 0x01, 0x02, 0x03, 0x04
EVENT, KEYFRAME, INDEX, TRAILER = 0x81, 0x82, 0x83, 0x84
CHECKPOINT, EXCERPT_PROOF = 0x85, 0x86
TYPE_NAMES = {
    METADATA: "metadata", FRAME: "frame", SCREEN_SIZE: "screen_size",
    FRAME_BATCH: "frame_batch", EVENT: "event", KEYFRAME: "keyframe", INDEX: "index",
    TRAILER: "trailer", CHECKPOINT: "checkpoint", EXCERPT_PROOF: "excerpt_proof",
}
# Section 5.10: named, but opaque to the container, as unknown ancillary types are.
SIGNING_TYPES = (CHECKPOINT, EXCERPT_PROOF)
COMPRESSED = 0x01
COMPRESSIBLE_TYPES = (METADATA, FRAME, FRAME_BATCH)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
INDEX_FIXED_SIZE = 60
SEEK_ENTRY, EVENT_ENTRY, IDLE_ENTRY = 32, 20, 16
# The index's directory (7.4): samples, and a footer ending with the magic.
SAMPLE_ENTRY, DIRECTORY_FOOTER = 24, 80
DIRECTORY_MAGIC = b"TDPRDIR\x89"

EVENT_KIND_NAMES = [
    "unspecified", "clipboard_send", "clipboard_receive", "shared_directory_read",
    "shared_directory_write", "shared_directory_start", "session_join",
    "session_leave", "marker", "session_end",
]
METADATA_FIELDS = {
    1: ("session_id", "string"), 2: ("cluster", "string"), 3: ("user", "string"),
    4: ("desktop_name", "string"), 5: ("desktop_addr", "string"),
    6: ("login", "string"), 7: ("start_time_unix_us", "int64"),
    8: ("screen_width", "uint32"), 9: ("screen_height", "uint32"),
    10: ("recorder_name", "string"), 11: ("recorder_version", "string"),
    12: ("labels", "map"), 13: ("teleport_start_event", "bytes"),
}
EVENT_FIELDS = {
    1: ("kind", "enum"), 2: ("label", "string"), 3: ("user", "string"),
    4: ("length", "uint64"), 5: ("directory_name", "string"),
    6: ("directory_id", "uint32"), 7: ("path", "string"), 8: ("offset", "uint64"),
    9: ("failed", "bool"), 10: ("attributes", "map"),
    11: ("teleport_event", "bytes"),
}


class Fault(Exception):
    """The first fault of a recording: a class name of section 13 and an offset."""

    def __init__(self, cls, offset):
        super().__init__(cls, offset)
        self.cls = cls
        self.offset = offset

    def to_json(self):
        return {"state": "error", "class": self.cls, "offset": self.offset}


# --- primitives -------------------------------------------------------------

def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    """CRC-32C (Castagnoli), reflected, init and final XOR 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    table = CRC32C_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def u32(data, pos):
    return struct.unpack_from("<I", data, pos)[0]


def read_uleb128(data, pos, end):
    """Read a uleb128 in data[pos:end]; return (value, next position).

    An encoding longer than 10 bytes, a tenth byte with more than its lowest bit
    set, or one cut by `end` is `malformed_record` at the start of the uleb128.
    """
    value = 0
    for i in range(10):
        if pos + i >= end:
            break
        byte = data[pos + i]
        if i == 9 and byte & 0xFE:
            break
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, pos + i + 1
    raise Fault("malformed_record", pos)


def b64(data):
    return base64.b64encode(bytes(data)).decode("ascii")


# --- protobuf ---------------------------------------------------------------

class ProtoError(Exception):
    """A byte string that is not a valid protobuf encoding of the message."""


def pb_varint(data, pos):
    try:
        return read_uleb128(data, pos, len(data))
    except Fault as fault:
        raise ProtoError("bad varint") from fault


def pb_key(data, pos):
    """Read a field key; return (field number, wire type, next position)."""
    key, pos = pb_varint(data, pos)
    if key >> 3 == 0 or key > 0xFFFFFFFF:
        raise ProtoError("bad field number")
    return key >> 3, key & 7, pos


MAX_DEPTH = 100  # format.md 5.9, rule 8: a field this deep or deeper is rejected


def pb_skip_group(data, pos, number, depth):
    """Skip a group, nested groups included, up to its end-group key.

    The group's start-group key, of field `number`, was at `depth`; the
    fields inside it are one level deeper per open group. Return the position
    after the end-group key. Iterative, so deep nesting costs no stack.
    """
    open_groups = [number]
    while open_groups:
        if pos >= len(data):
            raise ProtoError("unterminated group")
        inner_number, wire_type, pos = pb_key(data, pos)
        if wire_type == 4:
            if inner_number != open_groups.pop():
                raise ProtoError("unmatched end group")
            continue
        inner_depth = depth + len(open_groups)
        if inner_depth >= MAX_DEPTH:
            raise ProtoError("fields nested too deep")
        if wire_type == 3:
            open_groups.append(inner_number)
        else:
            _, pos = pb_field_value(data, pos, inner_number, wire_type, inner_depth)
    return pos


def pb_field_value(data, pos, number, wire_type, depth):
    """Read the value of one field after its key, the field being at `depth`;
    return (value, next position)."""
    if wire_type == 0:
        return pb_varint(data, pos)
    if wire_type == 1 or wire_type == 5:
        size = 8 if wire_type == 1 else 4
        if pos + size > len(data):
            raise ProtoError("truncated fixed field")
        return data[pos:pos + size], pos + size
    if wire_type == 2:
        length, pos = pb_varint(data, pos)
        if pos + length > len(data):
            raise ProtoError("truncated length-delimited field")
        return data[pos:pos + length], pos + length
    if wire_type == 3:
        return None, pb_skip_group(data, pos, number, depth)
    raise ProtoError("bad wire type")


def pb_fields(data, depth):
    """Yield (number, wire_type, value, raw bytes) for every field of a message
    whose fields are at `depth` (0 for a payload, 1 for a map entry)."""
    pos = 0
    while pos < len(data):
        start = pos
        number, wire_type, pos = pb_key(data, pos)
        value, pos = pb_field_value(data, pos, number, wire_type, depth)
        yield number, wire_type, value, data[start:pos]


def pb_string(value):
    try:
        return bytes(value).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtoError("string is not UTF-8") from error


def pb_map_entry(value):
    key = val = ""
    for number, wire_type, field, _ in pb_fields(value, 1):
        if number in (1, 2):
            if wire_type != 2:
                raise ProtoError("bad wire type in map entry")
            if number == 1:
                key = pb_string(field)
            else:
                val = pb_string(field)
    return key, val


def pb_scalar(kind, value):
    if kind == "string":
        return pb_string(value)
    if kind == "bytes":
        return b64(value)
    if kind == "int64":
        value &= 0xFFFFFFFFFFFFFFFF
        return value - 2**64 if value >= 2**63 else value
    if kind == "uint32":
        return value & 0xFFFFFFFF
    if kind == "enum":
        value &= 0xFFFFFFFF
        return value - 2**32 if value >= 2**31 else value
    if kind == "bool":
        return value != 0
    return value  # uint64


def proto_default(kind):
    """The proto3 default of a field kind."""
    return {"string": "", "bytes": "", "bool": False, "map": {}}.get(kind, 0)


def decode_message(data, schema):
    """Decode a proto3 message of `schema`, keeping unknown fields as wire bytes."""
    message = {name: proto_default(kind) for name, kind in schema.values()}
    unknown = bytearray()
    for number, wire_type, value, raw in pb_fields(data, 0):
        if number not in schema:
            unknown += raw
            continue
        name, kind = schema[number]
        expected = 2 if kind in ("string", "bytes", "map") else 0
        if wire_type != expected:
            raise ProtoError("bad wire type for " + name)
        if kind == "map":
            key, val = pb_map_entry(value)
            message[name][key] = val
        else:
            message[name] = pb_scalar(kind, value)
    message["unknown_fields"] = b64(unknown)
    return message


def decode_proto(data, schema, record_offset):
    try:
        return decode_message(data, schema)
    except ProtoError as error:
        raise Fault("malformed_record", record_offset) from error


# --- header and framing -----------------------------------------------------

def check_header(data):
    """Section 3: return (version_written, version_required) or raise the fault."""
    present = data[:len(SIGNATURE)]
    if present != SIGNATURE[:len(present)]:
        raise Fault("bad_signature", 0)
    if len(data) < HEADER_SIZE:
        raise Fault("truncated", 0)
    if crc32c(data[:16]) != u32(data, 16):
        raise Fault("checksum_mismatch", 16)
    written, required = struct.unpack_from("<HH", data, 10)
    if required == 0 or required > READER_VERSION:
        raise Fault("unsupported_version", 12)
    return written, required


def frame_record(data, offset, end_of_input):
    """Section 4.1: frame the record at `offset`; return the offset of its CRC.

    An incomplete record (the input ends at `end_of_input`) is `truncated`.
    """
    if end_of_input - offset < 6:
        raise Fault("truncated", offset)
    body_length = u32(data, offset + 2)
    if body_length > RECORD_LENGTH_LIMIT:
        raise Fault("limit_exceeded", offset + 2)
    if end_of_input - offset < 10 + body_length:
        raise Fault("truncated", offset)
    crc_offset = offset + 6 + body_length
    if crc32c(data[offset:crc_offset]) != u32(data, crc_offset):
        raise Fault("checksum_mismatch", offset)
    return crc_offset


def check_type_and_flags(data, offset):
    """Sections 4.2 and 4.3."""
    record_type, flags = data[offset], data[offset + 1]
    if record_type not in TYPE_NAMES or record_type in SIGNING_TYPES:
        if record_type < 0x80:
            raise Fault("unknown_critical_record", offset)
        return
    allowed = COMPRESSED if record_type in COMPRESSIBLE_TYPES else 0
    if flags & ~allowed:
        raise Fault("unknown_flags", offset + 1)


# --- records: the checks of section 8, in its order -------------------------

class Record:
    """One framed record.

    `json` holds the keys of its canonical JSON object; the other attributes are
    what the later checks, the order rules and the index rebuild need.
    """

    def __init__(self, data, offset, crc_offset):
        self.offset = offset
        self.code, self.flags = data[offset], data[offset + 1]
        self.compressed = (self.code in COMPRESSIBLE_TYPES
                           and bool(self.flags & COMPRESSED))
        self.crc_offset = crc_offset
        self.end = crc_offset + 4
        self.time_delta = 0
        self.time_us = 0
        self.times = []              # the record's time; a batch: every frame's time
        self.clock = 0               # the clock after the record (4.1)
        self.payload_offset = 0      # the stored payload: after time_delta, up to the CRC
        self.inflated_length = 0     # compressed: the length the stream inflates to
        self.data_offset = 0         # compressed: offset of the DEFLATE stream
        self.json = {
            "offset": offset, "code": self.code, "flags": self.flags,
            "type": TYPE_NAMES.get(self.code, "unknown(0x%02x)" % self.code),
        }
        self.metadata = None         # metadata: the decoded message
        self.screen = None           # screen_size: (width, height)
        self.frames = []             # frame, frame_batch: (time, message length) a frame
        self.deltas = []             # frame_batch: (offset, delta[i]), i = 1 … count − 1
        self.messages = []           # frame_batch: (start, length[i]) of every message in
                                     # the payload, or in the inflated block
        self.event_kind = 0          # event: EventKind as an unsigned 32-bit integer
        self.index_payload = None    # index: the payload bytes
        self.index_offset = None     # trailer: its index_offset field


def check_record(data, offset, crc_offset):
    """Section 8 steps 2 to 4 for the record framed at `offset`; return it.

    Type and flags (4.2, 4.3), then the layout of the payload without inflating
    or decoding protobuf (5, 6, 7.1), then the `time_delta` of metadata, index
    and trailer (rule 6).
    """
    check_type_and_flags(data, offset)
    record = Record(data, offset, crc_offset)
    record.time_delta, record.payload_offset = read_uleb128(data, offset + 6, crc_offset)
    LAYOUT_CHECKS.get(record.code, check_unknown_layout)(record, data)
    if record.code in (METADATA, INDEX, TRAILER) and record.time_delta != 0:
        raise Fault("malformed_record", offset + 6)
    if record.code == TRAILER and data[offset + 6] != 0:
        raise Fault("malformed_record", offset + 6)  # 5.6: the single byte 00
    return record


def read_record(data, offset, previous):
    """Section 8, steps 1 to 7, for the record at `offset` of the whole input.

    `previous` is the record before it, or None for the first record.
    """
    record = check_record(data, offset, frame_record(data, offset, len(data)))
    check_order(record, previous)
    check_times(record, previous.clock if previous else 0)
    decoder = DECODERS.get(record.code)
    if decoder:
        decoder(record, plain_payload(record, data))
    record.json["time_us"] = record.time_us
    return record


def check_times(record, clock):
    """Rule 5 and 5.8: the record's time, then each later frame's of a batch.

    Sets `times` (a batch's, one a frame), `time_us` (the first of them) and
    `clock` (4.1: the last). A time above 2^63 − 1 is `time_overflow` at the
    delta that crosses it, the record's `time_delta` for the first.
    """
    record.times = []
    for delta_offset, delta in [(record.offset + 6, record.time_delta)] + record.deltas:
        clock += delta
        if clock > MAX_TIME:
            raise Fault("time_overflow", delta_offset)
        record.times.append(clock)
    record.time_us, record.clock = record.times[0], record.times[-1]


def check_order(record, previous):
    """Section 8, rules 1 to 4, then the trailer's `index_offset` (5.6)."""
    if record.offset == HEADER_SIZE:
        if record.code != METADATA:
            raise Fault("misplaced_record", record.offset)
        return
    previous_type = previous.code
    if (record.code == METADATA or previous_type == TRAILER
            or (previous_type == INDEX) != (record.code == TRAILER)):
        raise Fault("misplaced_record", record.offset)
    if record.code == TRAILER and record.index_offset != previous.offset:
        raise Fault("bad_index", record.payload_offset)


# --- step 3: payload layouts (sections 5, 6, 7.1) ---------------------------

def fixed_fields(data, start, end, sizes):
    """Unpack data[start:end], exactly the little-endian fields of `sizes`.

    A field absent or cut short, or bytes after the last field, is
    `malformed_record` at the offset of that field (or of the extra bytes).
    """
    values, pos = [], start
    for size in sizes:
        if pos + size > end:
            raise Fault("malformed_record", pos)
        values.append(int.from_bytes(data[pos:pos + size], "little"))
        pos += size
    if pos != end:
        raise Fault("malformed_record", pos)
    return values


def check_inflated_length(record, data, limit):
    """Section 6: read `inflated_length` and check it against `limit`."""
    start = record.payload_offset
    record.inflated_length, record.data_offset = read_uleb128(
        data, start, record.crc_offset)
    if record.inflated_length > limit:
        raise Fault("limit_exceeded", start)


def check_metadata_layout(record, data):
    """Section 12: the payload, or its `inflated_length`, within the metadata limit."""
    if record.compressed:
        check_inflated_length(record, data, METADATA_LIMIT)
    elif record.crc_offset - record.payload_offset > METADATA_LIMIT:
        raise Fault("limit_exceeded", record.payload_offset)


def check_frame_layout(record, data):
    """Section 5.2: an empty stored payload or an `inflated_length` of 0 is malformed."""
    if record.payload_offset == record.crc_offset:
        raise Fault("malformed_record", record.payload_offset)
    if record.compressed:
        check_inflated_length(record, data, INFLATED_LIMIT)
        if record.inflated_length == 0:
            raise Fault("malformed_record", record.payload_offset)


def check_screen_size_layout(record, data):
    record.screen = tuple(fixed_fields(
        data, record.payload_offset, record.crc_offset, (4, 4)))
    record.json["width"], record.json["height"] = record.screen


def check_keyframe_layout(record, data):
    """Section 5.5: width and height, then an image with the PNG signature."""
    start = record.payload_offset
    image = start + 8
    width, height = fixed_fields(data, start, min(image, record.crc_offset), (4, 4))
    if not data[image:record.crc_offset].startswith(PNG_SIGNATURE):
        raise Fault("malformed_record", image)
    record.json.update(width=width, height=height,
                       png=b64(data[image:record.crc_offset]))


def check_index_layout(record, data):
    """Section 7.1: the size, then each count's limit, then the length; then
    the directory, when the payload has one (7.4)."""
    start, payload = record.payload_offset, data[record.payload_offset:record.crc_offset]
    if len(payload) < INDEX_FIXED_SIZE:
        raise Fault("bad_index", start)
    counts = struct.unpack_from("<III", payload, 48)
    for i, count in enumerate(counts):
        if count > INDEX_ENTRY_LIMIT:
            raise Fault("limit_exceeded", start + 48 + 4 * i)
    seek_count, event_count, idle_count = counts
    tables = (INDEX_FIXED_SIZE + SEEK_ENTRY * seek_count
              + EVENT_ENTRY * event_count + IDLE_ENTRY * idle_count)
    has_directory = (len(payload) >= tables + DIRECTORY_FOOTER
                     and payload.endswith(DIRECTORY_MAGIC))
    if len(payload) != tables and not has_directory:
        raise Fault("bad_index", start + 48)
    record.index_payload = bytes(payload)
    record.json["index"] = index_to_json(payload, counts)
    if has_directory:
        record.json["index"]["directory"] = check_directory(
            payload, start, tables, INDEX_FIXED_SIZE + SEEK_ENTRY * seek_count)


def check_directory(payload, start, tables, events_start):
    """Section 7.4: the directory after the tables, checked in order; its JSON."""
    footer = len(payload) - DIRECTORY_FOOTER
    for i in range(INDEX_FIXED_SIZE):
        if payload[footer + i] != payload[i]:
            raise Fault("bad_index", start + footer + i)
    interval, count, crc = struct.unpack_from("<III", payload, footer + INDEX_FIXED_SIZE)
    count_at = start + footer + INDEX_FIXED_SIZE + 4
    if count > INDEX_ENTRY_LIMIT:
        raise Fault("limit_exceeded", count_at)
    if len(payload) - tables != DIRECTORY_FOOTER + SAMPLE_ENTRY * count:
        raise Fault("bad_index", count_at)
    if interval == 0:
        raise Fault("bad_index", count_at - 4)
    if crc32c(payload[events_start:footer + INDEX_FIXED_SIZE + 8]) != crc:
        raise Fault("bad_index", count_at + 4)
    samples = []
    for pos in range(tables, footer, SAMPLE_ENTRY):
        time_us, offset, entry, flags = struct.unpack_from("<QQII", payload, pos)
        samples.append({"time_us": time_us, "offset": offset, "entry": entry,
                        "keyframe": bool(flags & 1)})
    return {"sample_interval": interval, "samples": samples}


def check_trailer_layout(record, data):
    (record.index_offset,) = fixed_fields(
        data, record.payload_offset, record.crc_offset, (8,))
    record.json["index_offset"] = record.index_offset


def check_frame_batch_layout(record, data):
    """Section 5.8: walk the whole table, then the lengths against the messages.

    A `count` or `length` of 0 is malformed at that field; a uleb128 cut short
    or invalid at its first byte (an absent one thus at the payload's end);
    lengths that do not add up to the bytes after the table at the first byte
    after the table. A compressed batch's lengths instead add up to the
    inflated length of the DEFLATE stream after the table, within the
    inflated-length limit: a length that takes the sum over it is
    `limit_exceeded` at that length.
    """
    end = record.crc_offset
    count, pos = read_uleb128(data, record.payload_offset, end)
    if count == 0:
        raise Fault("malformed_record", record.payload_offset)
    lengths, total = [], 0
    for i in range(count):
        if i:
            delta_offset = pos
            delta, pos = read_uleb128(data, pos, end)
            record.deltas.append((delta_offset, delta))
        length_offset = pos
        length, pos = read_uleb128(data, pos, end)
        if length == 0:
            raise Fault("malformed_record", length_offset)
        lengths.append(length)
        total += length
        if record.compressed and total > INFLATED_LIMIT:
            raise Fault("limit_exceeded", length_offset)
    if record.compressed:
        record.inflated_length, record.data_offset = total, pos
        pos = 0  # messages are located in the inflated block
    elif total != end - pos:
        raise Fault("malformed_record", pos)
    else:
        pos -= record.payload_offset  # messages are located in the payload
    for length in lengths:
        record.messages.append((pos, length))
        pos += length


def check_event_layout(record, data):
    """Section 5.4: a protobuf payload, decoded at step 7 only."""


def check_unknown_layout(record, data):
    """Sections 5.7 and 5.10: the payload of an unknown ancillary record, or of
    a signing record, is opaque."""
    record.json["payload"] = b64(data[record.payload_offset:record.crc_offset])


LAYOUT_CHECKS = {
    METADATA: check_metadata_layout, FRAME: check_frame_layout,
    SCREEN_SIZE: check_screen_size_layout, FRAME_BATCH: check_frame_batch_layout,
    EVENT: check_event_layout,
    KEYFRAME: check_keyframe_layout, INDEX: check_index_layout,
    TRAILER: check_trailer_layout,
}


def index_to_json(payload, counts):
    """The "Index" object of json.md for an index payload of checked layout."""
    names = ("duration_us", "record_count", "frame_count", "frame_bytes",
             "seek_interval_us", "idle_threshold_us")
    index = dict(zip(names, struct.unpack_from("<6Q", payload, 0)))
    seek_count, event_count, idle_count = counts
    pos = INDEX_FIXED_SIZE
    index["seek"] = []
    for _ in range(seek_count):
        time_us, offset, width, height, flags, entry = struct.unpack_from(
            "<QQIIII", payload, pos)
        index["seek"].append({
            "time_us": time_us, "offset": offset, "width": width, "height": height,
            "keyframe": bool(flags & 1),
            "keyframe_entry": None if entry == NO_KEYFRAME else entry,
        })
        pos += SEEK_ENTRY
    index["events"] = []
    for _ in range(event_count):
        time_us, offset, kind = struct.unpack_from("<QQI", payload, pos)
        index["events"].append({"time_us": time_us, "offset": offset, "kind": kind})
        pos += EVENT_ENTRY
    index["idle"] = []
    for _ in range(idle_count):
        start_us, end_us = struct.unpack_from("<QQ", payload, pos)
        index["idle"].append({"start_us": start_us, "end_us": end_us})
        pos += IDLE_ENTRY
    return index


# --- step 7: inflation and protobuf decoding (sections 6, 5.1, 5.4) ----------

def plain_payload(record, data):
    """The payload of a record of checked layout, inflated if it is compressed."""
    if record.compressed:
        return inflate(data[record.data_offset:record.crc_offset],
                       record.inflated_length, record.data_offset)
    return data[record.payload_offset:record.crc_offset]


def inflate(stream, length, data_offset):
    """Section 6: the raw DEFLATE `stream` must end exactly at its end and inflate
    to exactly `length` bytes; otherwise `malformed_record` at `data_offset`."""
    inflater = zlib.decompressobj(-15)
    try:
        plain = inflater.decompress(stream, length + 1)
    except zlib.error as error:
        raise Fault("malformed_record", data_offset) from error
    if (not inflater.eof or inflater.unused_data or inflater.unconsumed_tail
            or len(plain) != length):
        raise Fault("malformed_record", data_offset)
    return plain


def decode_metadata(record, payload):
    record.metadata = decode_proto(payload, METADATA_FIELDS, record.offset)


def decode_frame(record, payload):
    record.frames = [(record.time_us, len(payload))]
    record.json["payload"] = b64(payload)


def decode_frame_batch(record, payload):
    """Section 5.8: the messages, in the payload or in the inflated block."""
    record.json["frames"] = []
    for time, (start, length) in zip(record.times, record.messages):
        record.frames.append((time, length))
        record.json["frames"].append(
            {"time_us": time, "payload": b64(payload[start:start + length])})


def decode_event(record, payload):
    event = decode_proto(payload, EVENT_FIELDS, record.offset)
    kind = event["kind"]
    event["kind_name"] = (EVENT_KIND_NAMES[kind]
                          if 0 <= kind < len(EVENT_KIND_NAMES) else None)
    record.event_kind = kind & 0xFFFFFFFF
    record.json["event"] = event


DECODERS = {METADATA: decode_metadata, FRAME: decode_frame,
            FRAME_BATCH: decode_frame_batch, EVENT: decode_event}


# --- opening through the trailer (9.1) -------------------------------------

def open_recording(data):
    """Section 9.1 steps 2 and 3 (the header is already checked)."""
    read_record(data, HEADER_SIZE, None)
    trailer_offset = len(data) - TRAILER_SIZE
    if trailer_offset < HEADER_SIZE or not frames_as_trailer(data, trailer_offset):
        return
    trailer = check_record(data, trailer_offset, len(data) - 4)
    check_index_record(data, trailer)


def frames_as_trailer(data, offset):
    """Whether the record at `offset` is 0x84, flags 0, `body_length` 9, correct CRC."""
    crc_offset = offset + 6 + 9
    return (data[offset] == TRAILER and data[offset + 1] == 0
            and u32(data, offset + 2) == 9
            and crc32c(data[offset:crc_offset]) == u32(data, crc_offset))


def check_index_record(data, trailer):
    """Section 9.1, steps 3.3 and 3.4: the record the trailer points at.

    Its first six bytes must say it is an index ending exactly at the trailer
    (else `bad_index` at the `index_offset` field); only then is it framed and
    checked as a record.
    """
    field = trailer.payload_offset
    index_offset = trailer.index_offset
    if index_offset < HEADER_SIZE or index_offset >= trailer.offset:
        raise Fault("bad_index", field)
    if (trailer.offset - index_offset < 6 or data[index_offset] != INDEX
            or index_offset + 10 + u32(data, index_offset + 2) != trailer.offset):
        raise Fault("bad_index", field)
    crc_offset = frame_record(data, index_offset, trailer.offset)
    check_record(data, index_offset, crc_offset)


# --- index rebuild (7.3) ----------------------------------------------------

def build_index(metadata, content, seek_interval, idle_threshold, sample_interval):
    """Section 7.3: the index payload the content records determine, with a
    directory of this sample interval unless it is None (7.4)."""
    screen = (metadata["screen_width"], metadata["screen_height"])
    frame_count = frame_bytes = duration = 0
    previous = last_entry_time = None
    last_keyframe = NO_KEYFRAME
    seek, events, idle = [], [], []
    for record in content:
        t = record.time_us
        if previous is not None and t - previous > idle_threshold:
            idle.append(struct.pack("<QQ", previous, t))
        is_keyframe = record.code == KEYFRAME
        if (is_keyframe or last_entry_time is None
                or t - last_entry_time >= seek_interval):
            position = len(seek)
            entry = position if is_keyframe else last_keyframe
            seek.append(struct.pack("<QQIIII", t, record.offset, screen[0], screen[1],
                                    int(is_keyframe), entry))
            if is_keyframe:
                last_keyframe = position
            last_entry_time = t
        if record.code == SCREEN_SIZE:
            screen = record.screen
        elif record.code == EVENT:
            events.append(struct.pack("<QQI", t, record.offset, record.event_kind))
        for i, (frame_time, length) in enumerate(record.frames):
            # step 4: a batch's idle spans between its own frames
            if i and frame_time - record.frames[i - 1][0] > idle_threshold:
                idle.append(struct.pack("<QQ", record.frames[i - 1][0], frame_time))
            frame_count += 1
            frame_bytes += length
        previous = duration = record.clock
    head = struct.pack("<6Q3I", duration, 1 + len(content), frame_count, frame_bytes,
                       seek_interval, idle_threshold, len(seek), len(events), len(idle))
    payload = head + b"".join(seek) + b"".join(events) + b"".join(idle)
    if sample_interval is None:
        return payload
    samples = [entry[:16] + struct.pack("<I", position) + entry[24:28]
               for position, entry in enumerate(seek)
               if position % sample_interval == 0 or entry[24] & 1]
    covered = (b"".join(events) + b"".join(idle) + b"".join(samples) + head
               + struct.pack("<II", sample_interval, len(samples)))
    return (payload + b"".join(samples) + head
            + struct.pack("<III", sample_interval, len(samples), crc32c(covered))
            + DIRECTORY_MAGIC)


def compare_index(index, rebuilt):
    """Raise `bad_index` at the first byte where the stored index payload differs."""
    stored = index.index_payload
    for i, (a, b) in enumerate(zip(stored, rebuilt)):
        if a != b:
            raise Fault("bad_index", index.payload_offset + i)
    if len(stored) != len(rebuilt):
        raise Fault("bad_index", index.payload_offset + min(len(stored), len(rebuilt)))


# --- the whole recording ----------------------------------------------------

def iterate(data):
    """Section 9.2: read records from offset 20 until the end or the first fault.

    Returns (records, fault or None, offset where reading stopped).
    """
    records, offset = [], HEADER_SIZE
    try:
        while offset < len(data):
            record = read_record(data, offset, records[-1] if records else None)
            records.append(record)
            offset = record.end
    except Fault as fault:
        return records, fault, offset
    return records, None, offset


def check_index(records):
    """Section 7.3: rebuild the index of a finished recording and compare."""
    metadata, content, index = records[0].metadata, records[1:-2], records[-2]
    params = struct.unpack_from("<2Q", index.index_payload, 32)
    directory = index.json["index"].get("directory")
    sample_interval = directory["sample_interval"] if directory else None
    compare_index(index, build_index(metadata, content, *params, sample_interval))


def end_state(data, records, iteration_fault, end_offset):
    """Section 10: the first fault, in the order a validator finds them."""
    try:
        open_recording(data)
        if iteration_fault:
            raise iteration_fault
        if not records or records[-1].code != TRAILER:
            return {"state": "unfinished", "offset": end_offset}
        check_index(records)
    except Fault as fault:
        return fault.to_json()
    return {"state": "finished"}


def decode(data: bytes) -> dict:
    """Return the canonical JSON object (spec/json.md) of the recording `data`."""
    data = bytes(data)
    try:
        written, required = check_header(data)
    except Fault as fault:
        return {"end": fault.to_json()}
    records, fault, end_offset = iterate(data)
    result = {
        "version_written": written, "version_required": required,
        "records": [record.json for record in records],
        "end": end_state(data, records, fault, end_offset),
    }
    if records:
        result["metadata"] = records[0].metadata
    return result


def main(argv):
    try:
        if len(argv) > 1:
            with open(argv[1], "rb") as source:
                data = source.read()
        else:
            data = sys.stdin.buffer.read()
    except OSError:
        result = {"end": {"state": "error", "class": "io", "offset": None}}
    else:
        result = decode(data)
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0 if result["end"] == {"state": "finished"} else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
