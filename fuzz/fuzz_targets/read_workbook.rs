//! Any bytes through the whole reader: format detection, the pre-scans,
//! calamine, the grid and every form reader. A panic or an allocation past
//! `-malloc_limit_mb` is a finding.

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

fuzz_target!(|data: &[u8]| {
    let read = read_bytes(data, "fuzz.xlsx", "xlsx", schemes(), &Limits::default());
    // Every file ends as forms or as at least one issue saying why not.
    assert!(!read.forms.is_empty() || !read.issues.is_empty());
});
