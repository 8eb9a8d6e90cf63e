//! The `tdpr` command line, run as a user runs it: one test binary, one
//! module per concern.

mod basics;
mod conformance;
mod json_schemas;
mod remote;
mod reports;
mod serve;
mod teleport;
