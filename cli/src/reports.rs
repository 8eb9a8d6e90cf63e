//! Every JSON form `tdpr` prints, by command, for the JSON Schemas in
//! `spec/schema/` (generated from these very types by the test
//! `json_schemas`, so a schema cannot drift from what is printed).
//!
//! | command | type | schema |
//! |---|---|---|
//! | `info --json` | [`Summary`] | `info.json` |
//! | `info URL --json` | [`IndexInfo`] | `info-index.json` |
//! | `validate --json` | [`ValidateReport`] | `validate.json` |
//! | `recover --json` | [`RecoverReport`] | `recover.json` |
//! | `import teleport --json` | [`ImportReport`] | `import.json` |
//! | `export teleport --json` | [`ExportReport`] | `export.json` |
//! | `conformance --json` | [`ConformanceReport`] | `conformance.json` |

pub use crate::conformance::{CaseFailure, ConformanceReport};
pub use crate::export_teleport::ExportReport;
pub use crate::import_teleport::{ImportReport, StreamFault};
pub use crate::info_index::{IndexFigures, IndexInfo, TransferInfo};
pub use crate::recover::RecoverReport;
pub use crate::summary::{Fault, Level, Summary};
pub use crate::validate::ValidateReport;
