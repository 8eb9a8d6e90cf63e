#!/usr/bin/env python3
"""Probe streams for `check_import.py`: edge cases of spec/conversion.md §1-§3.

Each probe is a Teleport stream (`probes/<name>.tar`) built with the encoder of
`make_streams.py`; `check_import.py` derives from the spec alone what its import must
be. Written by the independent checker of spec/conversion.md, from spec/ only.

    python3 conformance/teleport/make_probes.py   # rewrites probes/
"""

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_streams import *  # noqa: E402,F401,F403

OUT = os.path.join(HERE, "probes")
os.makedirs(OUT, exist_ok=True)

def probes_metadata_and_origin():



    def write(name, recs, parts=None):
        data = gz_part(recs) if parts is None else b"".join(parts)
        open(f"{OUT}/{name}.tar", "wb").write(data)

    def meta(index=None, type_="", time_ns=0, cluster=CLUSTER, raw_time=None):
        vals = {"Type": type_, "ClusterName": cluster}
        if index is not None: vals["Index"] = index
        b = b""
        if index: b += f_varint(1, index)
        if type_: b += f_len(2, type_.encode())
        if raw_time is not None:
            b += f_len(5, raw_time)
        else:
            b += f_len(5, timestamp(time_ns))
        if cluster: b += f_len(6, cluster.encode())
        return b

    class S:
        def __init__(self, name):
            self.s = Session(name)
        def rec(self, delay, msg=None, tdpb=None, time_ns=None):
            i = self.s.next_index()
            t = self.s.rec0_ns + ms(delay) if time_ns is None else time_ns
            r, _ = recording(i, t, delay, message=msg, tdpb=tdpb)
            self.s.items.append((r, None)); return r
        def raw(self, r):
            self.s.next_index(); self.s.items.append((r, None)); return r
        def recs(self): return self.s.recs()

    T = Session("x").rec0_ns

    # P1 empty recording: does it release events / raise D?
    p = Session("p1")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.add(recording(p.next_index(), p.rec0_ns + ms(500), 500, message=b""))   # empty
    p.event(70, p.rec0_ns + ms(50), Length=10, **p.who())
    p.rec(100, tdp_mouse_move(1, 2))
    p.rec(150, tdp_mouse_move(1, 3))
    write("empty_recording", p.recs())

    # P2 origin: first d0 recording has unset time
    p = Session("p2")
    p.add(recording(p.next_index(), None, 0, message=tdp_screen_spec(800, 600)))
    p.rec(0, tdp_mouse_move(1, 1))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    write("origin_first_unset", p.recs())

    # P3 origin: no start, no d<=0 recording; first held record is a recording, then an event with earlier time
    p = Session("p3")
    p.add(recording(p.next_index(), T + ms(1000), 40, message=tdp_mouse_move(1, 1)))
    p.event(70, T + ms(200), Length=3, **p.who())
    p.rec(90, tdp_mouse_move(1, 2))
    write("origin_no_start", p.recs())

    # P4 start event that does not decode (bad UTF-8), then a good start
    p = Session("p4")
    p.rec(0, tdp_screen_spec(800, 600))
    bad = oneof(59, encode_msg(SCHEMAS[59], {"Index": p.next_index(), "Type": "windows.desktop.session.start",
          "Time": p.start_ns, "ClusterName": CLUSTER, "User": "mallory", "SessionID": "bad",
          "DesktopName": "\udcff"}) if False else b"")
    body = encode_msg(SCHEMAS[59], {"Index": p.index - 1, "Type": "windows.desktop.session.start",
          "Time": p.start_ns, "ClusterName": CLUSTER, "User": "mallory", "SessionID": "bad"}) + f_len(11, b"\xff\xfe")
    p.items.append((oneof(59, body), None))
    p.win_start()
    p.rec(50, tdp_mouse_move(1, 2))
    write("start_bad_utf8", p.recs())

    # P5 two valid starts
    p = Session("p5")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.win_start(WindowsUser="Other")
    p.rec(50, tdp_mouse_move(1, 2))
    write("two_starts", p.recs())

    # P6 event without Metadata, with dedup around it
    p = Session("p6")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    nometa = oneof(70, f_len(2, f_len(1, b"bob")) + f_varint(6, 7))
    p.items.append((nometa, None))
    p.rec(50, tdp_mouse_move(1, 2))
    p.items.append((nometa, None))
    write("no_metadata_event", p.recs())

    # P7 negative clipboard length; dir events with weird values
    p = Session("p7")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.event(70, p.rec0_ns + ms(10), Length=-5, **p.who())
    p.event(71, p.rec0_ns + ms(20), Length=2**31 - 1, **p.who())
    p.event(107, p.rec0_ns + ms(30), Success=True, DirectoryName="d", DirectoryID=2**32 - 1, Path="p", Length=2**32 - 1, Offset=2**64 - 1, **p.who())
    p.rec(50, tdp_mouse_move(1, 2))
    write("field_extremes", p.recs())

    # P8 event clamping: W > F, W < prev, after last frame
    p = Session("p8")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(100, tdp_mouse_move(1, 2))
    p.event(70, p.rec0_ns + ms(500), Length=1, **p.who())   # W=500 > F=200 -> 200
    p.event(70, p.rec0_ns + ms(50), Length=2, **p.who())    # W=50 < prev 200 -> 200
    p.rec(200, tdp_mouse_move(1, 3))
    p.event(70, p.rec0_ns + ms(150), Length=3, **p.who())   # < prev 200 -> 200
    p.event(70, p.rec0_ns + ms(250), Length=4, **p.who())   # between -> 250
    p.rec(300, tdp_mouse_move(1, 4))
    p.event(70, p.rec0_ns + ms(9000), Length=5, **p.who())  # after last frame, unbounded -> 9000
    p.event(70, 0, Length=6, **p.who())                     # unset wall -> W=0 -> clamp to 9000
    write("event_clamp", p.recs())

    # P9 many held events
    p = Session("p9")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    for i in range(1100):
        p.event(70, p.rec0_ns + ms(20 + i), Length=i, **p.who())
    p.rec(5000, tdp_mouse_move(1, 3))
    write("many_events", p.recs())

    # P10 Metadata that does not decode (Type not UTF-8)
    p = Session("p10")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    m = f_varint(1, p.next_index()) + f_len(2, b"\xffbad") + f_len(5, timestamp(p.rec0_ns + ms(15)))
    p.items.append((oneof(70, f_len(1, m) + f_varint(6, 9)), None))
    p.rec(20, tdp_mouse_move(1, 3))
    write("metadata_bad_utf8", p.recs())

    # P11 Metadata twice in a record (merge vs last)
    p = Session("p11")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    i = p.next_index()
    m1 = f_varint(1, i) + f_len(2, b"desktop.clipboard.send")
    m2 = f_len(5, timestamp(p.rec0_ns + ms(5))) + f_len(6, CLUSTER.encode())
    p.items.append((oneof(70, f_len(1, m1) + f_varint(6, 9) + f_len(1, m2)), None))
    p.rec(20, tdp_mouse_move(1, 3))
    write("metadata_twice", p.recs())

    # P12 end without EndTime, and end with neither
    p = Session("p12")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    p.event(60, p.rec0_ns + ms(700), User="alice", StartTime=None, EndTime=None)
    p.event(255, 0, User="bob", StartTime=None, EndTime=None)
    write("end_no_endtime", p.recs())

    # P13 negative delay
    p = Session("p13")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.add(recording(p.next_index(), p.rec0_ns, -5, message=tdp_mouse_move(1, 1)))
    p.rec(10, tdp_mouse_move(1, 2))
    write("negative_delay", p.recs())

    # P13b first recording with negative delay -> origin
    p = Session("p13b")
    p.add(recording(p.next_index(), p.rec0_ns - ms(3), -3, message=tdp_mouse_move(1, 1)))
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    write("negative_first_delay", p.recs())

    # P14 nanos: sub-microsecond times
    p = Session("p14")
    p.add(recording(p.next_index(), T + 1999, 0, message=tdp_screen_spec(800, 600)))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    p.event(70, T + ms(5) + 999, Length=1, **p.who())
    p.rec(20, tdp_mouse_move(1, 3))
    write("sub_us_times", p.recs())

    # P15 Go zero with nanos on the first recording
    p = Session("p15")
    raw = f_varint(1, GO_ZERO_TIME_SECONDS) + f_varint(2, 5)
    m = meta(0, "desktop.recording", raw_time=raw)
    p.items.append((oneof(69, f_len(1, m) + f_len(2, tdp_screen_spec(800, 600))), None)); p.next_index()
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    write("go_zero_nanos", p.recs())

    # P16 start event after 4096 recordings
    p = Session("p16")
    p.rec(0, tdp_screen_spec(800, 600))
    for k in range(1, 4100):
        p.rec(k, tdp_mouse_move(k % 500, 1))
    p.win_start()
    p.rec(5000, tdp_mouse_move(1, 2))
    write("start_after_hold", p.recs())

    # P16b exactly at the boundary: 4095 recordings then the start (4096th record)
    p = Session("p16b")
    p.rec(0, tdp_screen_spec(800, 600))
    for k in range(1, 4095):
        p.rec(k, tdp_mouse_move(k % 500, 1))
    p.win_start()
    p.rec(5000, tdp_mouse_move(1, 2))
    write("start_at_hold_4096", p.recs())
    p = Session("p16c")
    p.rec(0, tdp_screen_spec(800, 600))
    for k in range(1, 4096):
        p.rec(k, tdp_mouse_move(k % 500, 1))
    p.win_start()
    p.rec(5000, tdp_mouse_move(1, 2))
    write("start_at_hold_4097", p.recs())

    # P17 screen sizes, TDPB and legacy
    def tdpb_client_hello(w, h):
        return tdpb_frame(f_len(1, f_len(1, b"alice") + f_len(2, f_varint(1, w) + f_varint(2, h))))
    p = Session("p17")
    p.rec(0, tdpb_screen_spec(1024, 768))
    p.rec(5, tdpb_server_hello(1, 2, 1024, 768))
    p.win_start()
    p.rec(10, tdpb_client_hello(1920, 1080))        # not listed as announcing
    p.rec(20, tdpb_screen_spec(1920, 0))             # zero: nothing
    p.rec(30, tdpb_screen_spec(1920, 1080))          # change
    p.rec(40, tdpb_server_hello(1, 2, 1920, 1080))   # same: nothing
    p.rec(50, tdpb_server_hello(1, 2, 1280, 720))    # change
    p.rec(60, tdp_activated(1, 2, 640, 480))         # legacy change
    p.rec(70, tdp_screen_spec(640, 480))             # same
    p.rec(80, b"\x01\x00\x00\x02")                   # short legacy 1
    p.rec(90, tdpb_frame(f_len(2, f_varint(2, 1))))  # ServerHello without activation
    p.rec(95, tdpb_frame(f_len(2, f_len(1, b""))))   # ServerHello with empty activation
    p.rec(100, tdpb_frame(f_len(10, f_varint(1, 333) + f_varint(2, 444)) + b"\x00\x00"))  # trailing bytes past envelope? (inside)
    p.rec(110, tdpb_frame(f_len(10, f_varint(1, 555) + f_varint(2, 666)))[:-1])  # cut envelope
    p.rec(120, tdpb_frame(f_len(10, f_varint(1, 777) + f_varint(2, 888))) + b"\xff")  # byte after frame
    write("screen_sizes", p.recs())

    # P18 a OneOf with two members: last wins
    p = Session("p18")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    i = p.next_index()
    r69 = encode_msg(SCHEMAS[69], {"Index": i, "Type": "desktop.recording", "Time": p.rec0_ns + ms(10), "ClusterName": CLUSTER, "DelayMilliseconds": 10, "Message": tdp_mouse_move(5, 5)})
    r70 = encode_msg(SCHEMAS[70], {"Index": i, "Type": "desktop.clipboard.send", "Time": p.rec0_ns + ms(10), "ClusterName": CLUSTER, "Length": 4})
    p.items.append((oneof(69, r69) + oneof(70, r70), None))
    p.items.append((oneof(70, r70.replace(bytes([8, i]), bytes([8, i + 1]), 1)) + oneof(69, r69.replace(bytes([8, i]), bytes([8, i + 1]), 1)), None)); p.next_index()
    p.rec(20, tdp_mouse_move(1, 3))
    write("two_members", p.recs())

    # P20 only start + events, no recordings
    p = Session("p20")
    p.win_start()
    p.event(70, p.start_ns + ms(30), Length=1, **p.who())
    p.win_end(100)
    write("no_recordings", p.recs())

    # P23 login fallback and Linux start without LinuxUser
    p = Session("p23")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start(WindowsUser="")
    p.rec(10, tdp_mouse_move(1, 2))
    write("login_fallback", p.recs())

    # P24 both Message and TDPBMessage; TDPB only with empty Message field present
    p = Session("p24")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    i = p.next_index()
    body = f_len(1, meta(i, "desktop.recording", p.rec0_ns + ms(10))) + f_len(2, b"") + f_varint(3, 10) + f_len(4, tdpb_mouse_move(3, 4))
    p.items.append((oneof(69, body), None))
    i = p.next_index()
    body = f_len(1, meta(i, "desktop.recording", p.rec0_ns + ms(20))) + f_len(2, tdp_mouse_move(9, 9)) + f_varint(3, 20) + f_len(4, tdpb_mouse_move(3, 4))
    p.items.append((oneof(69, body), None))
    write("message_and_tdpb", p.recs())

    # P25 16 MiB hold
    p = Session("p25")
    big = tdp_png_frame(0, 0, 1, 1, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64000)
    p.rec(0, tdp_screen_spec(800, 600))
    for k in range(1, 270):
        p.rec(k, big)
    p.win_start()
    p.rec(5000, tdp_mouse_move(1, 2))
    write("start_after_16mib", p.recs())

    # P26 origin: recording d0 appears AFTER the start event and the hold already ended
    p = Session("p26")
    p.rec(5, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(0, tdp_mouse_move(1, 1))
    write("origin_late_zero", p.recs())

    # P27 dedup with first event without metadata
    p = Session("p27")
    p.items.append((nometa, None))
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    write("first_no_metadata", p.recs())

    # P28 start fails decode in a nested bytes field (wrong wire type for CertMetadata)
    p = Session("p28")
    p.rec(0, tdp_screen_spec(800, 600))
    i = p.next_index()
    body = encode_msg(SCHEMAS[59], {"Index": i, "Type": "windows.desktop.session.start", "Time": p.start_ns, "ClusterName": CLUSTER, "User": "u", "SessionID": "s"}) + f_varint(14, 1)
    p.items.append((oneof(59, body), None))
    p.rec(10, tdp_mouse_move(1, 2))
    write("start_wrong_wiretype", p.recs())

    # P29 empty recording first (delay 0) as origin candidate, and the only frames later
    p = Session("p29")
    p.add(recording(p.next_index(), T + ms(7), 0, message=b""))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    write("empty_first_recording", p.recs())

    # P30 recording with a non-varint delay / Metadata not LEN
    p = Session("p30")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    p.items.append((oneof(70, f_varint(1, 5)), None))
    p.rec(20, tdp_mouse_move(1, 3))
    write("metadata_not_len", p.recs())

    # P31 unknown member whose body does not tokenize
    p = Session("p31")
    p.rec(0, tdp_screen_spec(800, 600))
    p.win_start()
    p.rec(10, tdp_mouse_move(1, 2))
    p.items.append((oneof(9999, f_len(1, meta(p.next_index(), "x.y", p.rec0_ns + ms(12))) + b"\x18"), None))
    p.rec(20, tdp_mouse_move(1, 3))
    write("member_body_garbage", p.recs())
    print("done")


def probes_fields_and_groups():

    def write(name, recs):
        open(f"{OUT}/{name}.tar", "wb").write(gz_part(recs))

    def base(name):
        p = Session(name)
        p.rec(0, tdp_screen_spec(800, 600))
        p.win_start()
        p.rec(10, tdp_mouse_move(1, 2))
        return p

    def raw_ev(p, member, meta_bytes, rest=b""):
        p.next_index()
        p.items.append((oneof(member, f_len(1, meta_bytes) + rest), None))

    def mb(p, i=None, typ=b"desktop.clipboard.send", t=None):
        i = p.index if i is None else i
        t = p.rec0_ns + ms(15) if t is None else t
        return f_varint(1, i) + f_len(2, typ) + f_len(5, timestamp(t))

    # Metadata.Index with wrong wire type
    p = base("q1"); m = f_len(1, b"xx") + f_len(2, b"desktop.clipboard.send") + f_len(5, timestamp(p.rec0_ns + ms(15)))
    raw_ev(p, 70, m, f_varint(6, 3)); p.rec(20, tdp_mouse_move(1, 3)); write("meta_index_wrong_wt", p.recs())
    # Metadata.Time as varint
    p = base("q2"); m = f_varint(1, p.index) + f_len(2, b"desktop.clipboard.send") + f_varint(5, 7)
    raw_ev(p, 70, m, f_varint(6, 3)); p.rec(20, tdp_mouse_move(1, 3)); write("meta_time_wrong_wt", p.recs())
    # recording whose Metadata.Type is not UTF-8
    p = base("q3"); m = f_varint(1, p.index) + f_len(2, b"\xff") + f_len(5, timestamp(p.rec0_ns + ms(15)))
    raw_ev(p, 69, m, f_len(2, tdp_mouse_move(7, 7)) + f_varint(3, 15)); p.rec(20, tdp_mouse_move(1, 3)); write("rec_meta_bad_utf8", p.recs())
    # clipboard whose User.User is not UTF-8 -> UNSPECIFIED with label
    p = base("q4"); raw_ev(p, 70, mb(p), f_len(2, f_len(1, b"\xc3")) + f_varint(6, 3)); p.rec(20, tdp_mouse_move(1, 3)); write("event_user_bad_utf8", p.recs())
    # clipboard with an unterminated group after valid fields
    p = base("q5"); raw_ev(p, 70, mb(p), f_varint(6, 3) + key(99, 3) + f_varint(1, 1)); p.rec(20, tdp_mouse_move(1, 3)); write("event_open_group", p.recs())
    # clipboard with a valid unknown group
    p = base("q6"); raw_ev(p, 70, mb(p), f_varint(6, 3) + key(99, 3) + f_varint(1, 1) + key(99, 4)); p.rec(20, tdp_mouse_move(1, 3)); write("event_group_ok", p.recs())
    # recording with an unknown group field
    p = base("q7"); raw_ev(p, 69, mb(p, typ=b"desktop.recording"), f_len(2, tdp_mouse_move(7, 7)) + f_varint(3, 15) + key(99, 3) + key(99, 4)); p.rec(20, tdp_mouse_move(1, 3)); write("rec_group_ok", p.recs())
    # recording with fixed32 delay
    p = base("q8"); raw_ev(p, 69, mb(p, typ=b"desktop.recording"), f_len(2, tdp_mouse_move(7, 7)) + key(3, 5) + b"\x01\x00\x00\x00"); p.rec(20, tdp_mouse_move(1, 3)); write("rec_delay_fixed32", p.recs())
    # negative nanos in time of an event
    p = base("q9"); raw_ev(p, 70, f_varint(1, p.index) + f_len(2, b"desktop.clipboard.send") + f_len(5, f_varint(1, (p.rec0_ns // 10**9)) + f_varint(2, -1500)), f_varint(6, 3)); p.rec(20, tdp_mouse_move(1, 3)); write("negative_nanos", p.recs())
    # bad start then good start: hold release point
    p = Session("q10"); p.rec(0, tdp_screen_spec(800, 600))
    body = encode_msg(SCHEMAS[59], {"Index": p.next_index(), "Type": "windows.desktop.session.start", "Time": p.start_ns, "ClusterName": CLUSTER, "User": "u", "SessionID": "s"}) + f_varint(14, 1)
    p.items.append((oneof(59, body), None)); p.win_start(); p.rec(10, tdp_mouse_move(1, 2)); write("bad_start_then_good", p.recs())
    # huge delay -> overflow of time
    p = base("q11"); p.add(recording(p.next_index(), p.rec0_ns, 2**62, message=tdp_mouse_move(1, 1))); write("huge_delay", p.recs())
    p = base("q11b"); p.add(recording(p.next_index(), p.rec0_ns, 9223372036854775, message=tdp_mouse_move(1, 1))); p.add(recording(p.next_index(), p.rec0_ns, 9223372036854776, message=tdp_mouse_move(1, 1))); write("max_delay", p.recs())
    # event wall far in the past (W negative large) and far future after last frame
    p = base("q12"); p.event(70, 1, Length=1, **p.who()); p.event(70, 2**62, Length=2, **p.who()); write("event_wall_extremes", p.recs())
    # negative index handling
    p = Session("q13"); p.add(recording(-5, p.rec0_ns, 0, message=tdp_screen_spec(800, 600))); p.add(recording(-6, p.rec0_ns + ms(5), 5, message=tdp_mouse_move(1, 1))); p.add(recording(-4, p.rec0_ns + ms(6), 6, message=tdp_mouse_move(1, 2))); write("negative_index", [r for r, _ in p.items])
    # events before first frame, with W beyond first frame
    p = Session("q14"); p.win_start(); p.event(70, p.rec0_ns + ms(300), Length=1, **p.who()); p.rec(0, tdp_screen_spec(800, 600)); p.rec(100, tdp_mouse_move(1, 1)); write("events_before_first_frame", p.recs())
    # first announcing held frame is a ServerHello; metadata size from it; later legacy spec same size
    p = Session("q15"); p.rec(0, tdpb_mouse_move(1, 1)); p.rec(3, tdpb_server_hello(1, 2, 1366, 768)); p.linux_start(); p.rec(5, tdpb_screen_spec(1366, 768)); p.rec(6, tdpb_screen_spec(1367, 768)); p.linux_end(10); write("tdpb_hello_first", p.recs())
    # empty Message with delay raising then non-empty lower delay
    p = base("q16"); p.add(recording(p.next_index(), p.rec0_ns + ms(900), 900, message=b"", tdpb=b"")); p.rec(50, tdp_mouse_move(1, 1)); write("empty_both", p.recs())
    # a screen size in the first frame of the held ones not held: start, recs... size announced only after hold
    p = Session("q17"); p.win_start(); p.rec(0, tdp_mouse_move(1, 1)); p.rec(10, tdp_screen_spec(1024, 768)); write("size_after_hold", p.recs())
    # Linux end without EndTime; Linux login fallback
    p = Session("q18", kind="linux"); p.rec(0, tdp_screen_spec(800, 600)); p.event(254, p.start_ns, User="alice", Login="ubuntu2", SessionID=p.sid, ClusterName="cl2", DesktopLabels={"b": "2", "a": "1"}); p.rec(5, tdp_mouse_move(1, 1)); write("linux_login_fallback", p.recs())
    # duplicate map keys in labels
    p = Session("q19"); p.rec(0, tdp_screen_spec(800, 600)); i = p.next_index()
    body = encode_msg(SCHEMAS[59], {"Index": i, "Type": "windows.desktop.session.start", "Time": p.start_ns, "ClusterName": CLUSTER, "User": "u", "SessionID": "s", "WindowsUser": "w"}) + f_len(10, f_len(1, b"k") + f_len(2, b"v1")) + f_len(10, f_len(1, b"k") + f_len(2, b"v2")) + f_len(10, f_len(2, b"nokey"))
    p.items.append((oneof(59, body), None)); p.rec(10, tdp_mouse_move(1, 2)); write("labels_dup_keys", p.recs())
    print("ok")


def probes_container():

    def base(name):
        p = Session(name); p.rec(0, tdp_screen_spec(800, 600)); p.win_start(); p.rec(10, tdp_mouse_move(1, 2)); return p
    p = base("r1"); p.next_index(); p.items.append((oneof(70, f_len(1, b"\x08") + f_varint(6, 1)), None)); p.rec(20, tdp_mouse_move(1, 3))
    open(f"{OUT}/meta_truncated_varint.tar", "wb").write(gz_part(p.recs()))
    p = base("r2"); recs = p.recs(); q = Session("r2b"); q.rec(30, tdp_mouse_move(1, 4))
    open(f"{OUT}/v2_flag2.tar", "wb").write(gz_part(recs) + gz_part(q.recs(), version=2, flags=0x02))
    # window larger than the member needs but input goes on: member cut inside PartSize (gzip fault) with records before
    p = base("r3"); body = gzip_member(records(p.recs()))
    cut = body[:len(body) - 30]
    open(f"{OUT}/member_needs_more.tar", "wb").write(part(cut) + gz_part(p.recs()))


if __name__ == "__main__":
    probes_metadata_and_origin()
    probes_fields_and_groups()
    probes_container()
