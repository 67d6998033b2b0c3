//! Any bytes through the whole reader: format detection, the pre-scans,
//! calamine, the grid and every form reader. A panic in starsheet or an
//! allocation past `-malloc_limit_mb` is a finding.
//!
//! A panic inside a dependency is caught per file by `read_bytes` and reported
//! as an unreadable file, as in a real run; those are counted on stderr
//! (`upstream panic at …`) instead of stopping the fuzzer.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use starsheet::read::read_bytes;
use starsheet::scheme::Schemes;
use starsheet::workbook::Limits;

fn schemes() -> &'static Schemes {
    static SCHEMES: OnceLock<Schemes> = OnceLock::new();
    SCHEMES.get_or_init(|| Schemes::load("standard", "member", "group").expect("the built-in schemes load"))
}

fn init() {
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| l.to_string()).unwrap_or_default();
        if location.contains("/.cargo/registry/") {
            eprintln!("upstream panic at {location}: {info}");
        } else {
            eprintln!("{info}");
            std::process::abort();
        }
    }));
}

fuzz_target!(init: init(), |data: &[u8]| {
    let read = read_bytes(data, "fuzz.xlsx", "xlsx", schemes(), &Limits::default());
    // Every file ends as forms or as at least one issue saying why not.
    assert!(!read.forms.is_empty() || !read.issues.is_empty());
});
