//! The async runtime behind the crate's blocking API.
//!
//! `object_store` is async; a player, a validator or a recorder that uses
//! this crate calls plain functions. They run their requests on one shared
//! runtime, started on first use. Call them from ordinary threads (or from
//! `tokio::task::spawn_blocking`), not from inside async code.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;

/// The shared runtime.
pub(crate) fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("tdpr-store")
            .enable_all()
            .build()
            .expect("a tokio runtime starts")
    })
}

/// Runs `future` to its end on the shared runtime.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    runtime().handle().block_on(future)
}
