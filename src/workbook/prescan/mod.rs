//! Cheap structural scans that run before calamine sees a file.
//!
//! calamine loads every sheet of an .xls or .ods on open and sizes its grids
//! from the cells (and, for .xls, the declared dimensions) it finds, so a
//! few kilobytes can ask for gigabytes. These scans walk the same records
//! calamine will walk, bound the grid each sheet would need, and refuse the
//! file before any allocation follows from it. On the way they collect what
//! calamine does not report: hidden rows and columns.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod ods;
mod xls;
mod xlsx;

pub use ods::ods;
pub use xls::{cfb_format, xls};
pub use xlsx::xlsx;

use std::ops::Range;

use quick_xml::events::BytesStart;

use super::Limits;
use crate::grid::Region;
use crate::issue::Problem;

/// Rows and columns a sheet hides, as zero-based half-open spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Hidden rows.
    pub rows: Vec<Range<u32>>,
    /// Hidden columns.
    pub cols: Vec<Range<u32>>,
}

impl Hidden {
    /// The hidden span of rows holding `row`.
    pub fn row_span(&self, row: u32) -> Option<&Range<u32>> {
        span_of(&self.rows, row)
    }

    /// The hidden span of columns holding `col`.
    pub fn col_span(&self, col: u32) -> Option<&Range<u32>> {
        span_of(&self.cols, col)
    }

    /// Sorts and joins the spans, so that lookups are binary searches.
    fn normalize(mut self) -> Hidden {
        for spans in [&mut self.rows, &mut self.cols] {
            spans.sort_by_key(|s| s.start);
            let mut joined: Vec<Range<u32>> = Vec::with_capacity(spans.len());
            for span in spans.drain(..) {
                match joined.last_mut() {
                    Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                    _ => joined.push(span),
                }
            }
            *spans = joined;
        }
        self
    }

    fn push_row(&mut self, span: Range<u32>) {
        push_span(&mut self.rows, span);
    }

    fn push_col(&mut self, span: Range<u32>) {
        push_span(&mut self.cols, span);
    }
}

/// The span holding `at`, in sorted, disjoint spans.
fn span_of(spans: &[Range<u32>], at: u32) -> Option<&Range<u32>> {
    let i = spans.partition_point(|s| s.end <= at);
    spans.get(i).filter(|s| s.contains(&at))
}

fn push_span(spans: &mut Vec<Range<u32>>, span: Range<u32>) {
    if span.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.end == span.start => last.end = span.end,
        _ => spans.push(span),
    }
}

/// What the pre-scan learns of each sheet, in workbook order (all sheet types).
pub type Scan = Vec<SheetScan>;

/// What the pre-scan learns of one sheet.
#[derive(Debug, Default)]
pub struct SheetScan {
    /// Hidden rows and columns.
    pub hidden: Hidden,
    /// Merged regions, where the format's reader gives none (.xlsx: read
    /// here in the same inflate rather than by a second parse in calamine;
    /// .ods: calamine does not report them). Empty for .xls, whose merges
    /// calamine reads.
    pub merges: Vec<Region>,
}

/// The grid calamine will allocate, summed over the sheets of one workbook.
struct Budget<'a> {
    limits: &'a Limits,
    used: u64,
}

impl Budget<'_> {
    /// Charges one sheet's grid of `rows` × `cols` cells.
    fn charge(&mut self, sheet: &str, rows: u64, cols: u64) -> Result<(), Problem> {
        let area = rows.saturating_mul(cols);
        self.used = self.used.saturating_add(area);
        if self.used > self.limits.max_grid_cells {
            return Err(Problem::GridTooLarge {
                sheet: sheet.to_string(),
                rows,
                cols,
                limit: self.limits.max_grid_cells,
            });
        }
        Ok(())
    }
}

// Shared by the format scanners.

/// Whether `needle` occurs in `haystack`.
pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Most merged regions read from one sheet; a form has a few dozen.
pub(super) const MAX_MERGES: usize = 10_000;

/// Refuses a sheet holding more cells than any form.
pub(super) fn check_count(sheet: &str, count: u64, limits: &Limits) -> Result<(), Problem> {
    if count > limits.max_cells as u64 {
        return Err(Problem::TooManyCells {
            sheet: sheet.to_string(),
            count,
            limit: limits.max_cells,
        });
    }
    Ok(())
}

/// A numeric XML attribute.
pub(super) fn attr_u64(e: &BytesStart, key: &str) -> Option<u64> {
    let attr = e.try_get_attribute(key).ok().flatten()?;
    attr.value.trim().parse().ok()
}

/// Whether an XML attribute has one of `values`.
pub(super) fn attr_is(e: &BytesStart, key: &str, values: &[&str]) -> bool {
    matches!(e.try_get_attribute(key), Ok(Some(a)) if values.contains(&a.value.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_spans_in_any_order_are_joined_for_lookup() {
        let hidden = Hidden {
            rows: vec![9..10, 2..4, 3..5, 20..21],
            cols: vec![],
        }
        .normalize();
        assert_eq!(hidden.rows, vec![2..5, 9..10, 20..21]);
        assert_eq!(hidden.row_span(4), Some(&(2..5)));
        assert_eq!(hidden.row_span(5), None);
        assert!(hidden.row_span(20).is_some() && hidden.row_span(21).is_none());
    }
}
