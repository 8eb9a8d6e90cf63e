//! Integration tests of the tdpr format: one test binary, one module per
//! concern.

mod bit_flips;
mod by_hand;
mod common;
mod faults;
mod golden;
mod invalid;
mod library_api;
mod manifest;
mod pass_sources;
mod ranged;
mod roundtrip;
mod seek;
mod seek_cases;
mod signed;
mod stream;
mod truncated;
mod truncation;
mod unknown_fields;
