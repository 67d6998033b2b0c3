//! results.json: the round's [`Record`], machine-readable.

use crate::record::Record;
use crate::results::Evaluation;

/// Builds the JSON bytes.
pub fn write(eval: &Evaluation, out: &mut impl std::io::Write) -> std::io::Result<()> {
    // Streamed, and compact: for a province the document runs to hundreds of
    // megabytes, over half of it indentation when pretty-printed.
    serde_json::to_writer(&mut *out, &Record::of(eval))?;
    out.write_all(b"\n")
}
