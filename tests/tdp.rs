//! Tests of the `tdp` module (legacy TDP and TDPB codecs).
//!
//! Every expected byte string in these tests is written out by hand from the
//! layouts in Teleport's codecs (cited per test), never produced by the code
//! under test.

mod tdp {
    mod fast_path;
    mod golden_ours;
    mod golden_teleport;
    mod json;
    mod malformed;
    mod roundtrip;
    mod support;
    mod tdpb;
}
