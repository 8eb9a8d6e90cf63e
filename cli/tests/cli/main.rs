//! The `tdpr` command line, run as a user runs it: one test binary, one
//! module per concern.

mod basics;
mod conformance;
mod interrupts;
mod json_schemas;
mod keyframes;
mod outputs;
mod progress;
mod remote;
mod reports;
mod serve;
mod signing;
mod stdio;
mod stills;
mod support;
mod synth;
mod teleport;
mod verdicts;
mod video;
