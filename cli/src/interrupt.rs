//! What SIGINT and SIGTERM (Ctrl-C) do to a command's work.
//!
//! Why it exists: a signal ends a process without running destructors, so
//! without this an interrupted `tdpr synth` would leave its temporary file
//! behind, and an interrupted import a torn recording. Two policies:
//!
//! - **Leave nothing** (every command by default): the handler removes every
//!   temporary output ([`crate::output`] registers them here) and every
//!   scratch copy of an input object ([`crate::input`]), says so on
//!   standard error and exits with status 130. An existing file at a
//!   destination is untouched, since nothing was renamed over it yet.
//! - **Finish** (a converter whose input may not be read twice, `import`,
//!   asks for it with [`finish_on_interrupt`]): the first signal only sets a
//!   flag ([`interrupted`]); the command stops reading at the next record,
//!   writes a finished output of what it read, says so, and exits with 130.
//!   A second signal stops at once as above.
//!
//! The handler holds the registry's lock while it removes files and exits,
//! and an output is renamed into place under the same lock, so an output is
//! either whole at its destination or absent.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::print;
use crate::status::INTERRUPTED;

/// Temporary outputs, and what the handler should do.
pub(crate) struct Registry {
    /// Each unfinished output: its temporary file and its destination;
    /// no destination for a scratch file (the copy of an input object).
    outputs: Vec<(PathBuf, Option<PathBuf>)>,
    /// What a finishing command is finishing, once one asked to finish.
    finishing: Option<String>,
    /// Signals received so far.
    signals: u32,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    outputs: Vec::new(),
    finishing: None,
    signals: 0,
});

static INTERRUPTED_FLAG: AtomicBool = AtomicBool::new(false);

/// Installs the handler; [`crate::main`] calls it once. Should that fail,
/// the default action stays: the process ends, only less tidily.
pub fn install() {
    let _ = ctrlc::set_handler(handle);
}

/// From now on the first signal asks the command to finish `what` (the
/// output's name) rather than ending the process.
pub fn finish_on_interrupt(what: String) {
    registry().finishing = Some(what);
}

/// Whether a signal asked a finishing command to stop.
pub fn interrupted() -> bool {
    INTERRUPTED_FLAG.load(Ordering::SeqCst)
}

/// The registry, locked. It stays usable after a panic elsewhere: a list of
/// paths cannot be left half-changed.
pub(crate) fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

impl Registry {
    /// Records an unfinished output at `temp`, bound for `destination`.
    pub(crate) fn add(&mut self, temp: PathBuf, destination: PathBuf) {
        self.outputs.push((temp, Some(destination)));
    }

    /// Records a scratch file at `temp`, removed without a word.
    pub(crate) fn add_scratch(&mut self, temp: PathBuf) {
        self.outputs.push((temp, None));
    }

    /// Forgets the output or scratch file at `temp`: renamed into place, or
    /// removed.
    pub(crate) fn remove(&mut self, temp: &std::path::Path) {
        self.outputs.retain(|(t, _)| t != temp);
    }
}

/// The handler: runs on a thread of its own for each signal.
fn handle() {
    let mut registry = registry();
    registry.signals += 1;
    if let (Some(what), 1) = (&registry.finishing, registry.signals) {
        // The flag first: whoever reads the message may feed the command
        // more input at once, and its next read must already see the flag.
        INTERRUPTED_FLAG.store(true, Ordering::SeqCst);
        print::err(&format!(
            "tdpr: interrupted: finishing {what} with what was read so far \
             (interrupt again to stop at once and keep nothing)\n"
        ));
        return;
    }
    let mut message = String::from("tdpr: interrupted");
    for (temp, destination) in &registry.outputs {
        let _ = std::fs::remove_file(temp);
        if let Some(destination) = destination {
            message += "; ";
            message += &crate::output::describe_unchanged(destination, false);
        }
    }
    print::err(&(message + "\n"));
    // Exits with the lock held, so no output is renamed into place after
    // its temporary file was removed.
    std::process::exit(i32::from(INTERRUPTED));
}
