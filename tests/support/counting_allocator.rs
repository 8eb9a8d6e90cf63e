//! A global allocator that counts, per thread, the allocations made and the
//! peak of bytes live, for the test binaries that measure memory
//! (`#[path]`-included). Per-thread counters keep the test harness's other
//! threads out of the figures, so such tests may run in parallel.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Wraps the system allocator with counters.
pub struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// Notes `grow` more bytes live (negative: freed) and, when `counted`, one
/// more allocation. `try_with`: a thread being torn down has no counters.
fn note(grow: isize, counted: bool) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + grow);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
    if counted {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize, true);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize, true);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize, true);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize), false);
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `f` and returns its value, the allocations (and reallocations) this
/// thread made meanwhile, and the most bytes this thread had live at once
/// above what it had when `f` started.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let value = f();
    let allocations = ALLOCATIONS.with(Cell::get) - before;
    let peak = (PEAK.with(Cell::get) - base).max(0) as usize;
    (value, allocations, peak)
}
