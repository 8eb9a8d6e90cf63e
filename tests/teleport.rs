//! Teleport interop: `tdpr::teleport` against Teleport-format streams that an
//! independent helper built from `spec/teleport.md` alone
//! (`conformance/teleport/`), and import → export → import round trips.

#[path = "teleport/fixtures.rs"]
mod fixtures;
#[path = "teleport/independent_reader.rs"]
mod independent_reader;
#[path = "teleport/round_trip.rs"]
mod round_trip;
#[path = "teleport/spec_checker.rs"]
mod spec_checker;
#[path = "teleport/split.rs"]
mod split;
