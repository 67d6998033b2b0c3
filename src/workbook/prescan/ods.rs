//! .ods (OpenDocument): repeated rows and columns, hidden spans, merges, encryption.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};

use super::*;
use crate::grid::Region;
use crate::issue::Problem;
use crate::workbook::{Limits, Package, corrupt};

/// calamine's own caps on an .ods sheet.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLS: u64 = 16_384;

/// Scans an .ods `content.xml` the way calamine will read it.
pub fn ods(zip: &mut Package, limits: &Limits) -> Result<Scan, Problem> {
    if ods_encrypted(zip)? {
        return Err(Problem::Encrypted);
    }
    let content = zip.by_name("content.xml").map_err(corrupt)?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut scan = Vec::new();
    let mut budget = Budget { limits, used: 0 };
    let mut sheet: Option<OdsSheet> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("content.xml: {e}")))?;
        match event {
            Event::Start(e) if e.name().into_inner() == "table:table" => {
                sheet = Some(OdsSheet::new(&e));
            }
            Event::End(e) if e.name().into_inner() == "table:table" => {
                if let Some(done) = sheet.take() {
                    scan.push(done.finish(limits, &mut budget)?);
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().into_inner() == "table:table-column" => {
                if let Some(s) = sheet.as_mut() {
                    s.column(&e);
                }
            }
            // calamine only reads rows that have content elements.
            Event::Start(e) if e.name().into_inner() == "table:table-row" => {
                if let Some(s) = sheet.as_mut() {
                    s.row_start(&e);
                }
            }
            Event::End(e) if e.name().into_inner() == "table:table-row" => {
                if let Some(s) = sheet.as_mut() {
                    s.row_end();
                }
            }
            Event::Start(e) if is_ods_cell(&e) => {
                if let Some(s) = sheet.as_mut() {
                    s.cell_start(&e, false);
                }
            }
            Event::Empty(e) if is_ods_cell(&e) => {
                if let Some(s) = sheet.as_mut() {
                    s.cell_start(&e, true);
                }
            }
            Event::End(e) if is_ods_cell_name(e.name().into_inner()) => {
                if let Some(s) = sheet.as_mut() {
                    s.cell_end();
                }
            }
            Event::Start(_) | Event::Empty(_) => {
                if let Some(s) = sheet.as_mut() {
                    s.child();
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(scan)
}

/// Whether the package's manifest says its parts are encrypted (an .ods
/// saved with a password keeps the manifest readable, nothing else).
fn ods_encrypted(zip: &mut Package) -> Result<bool, Problem> {
    let Some(index) = zip.index_for_name("META-INF/manifest.xml") else {
        return Ok(false);
    };
    let mut manifest = Vec::new();
    let entry = zip.by_index(index).map_err(corrupt)?;
    // A manifest lists a few dozen parts; the first megabyte says enough.
    entry.take(1 << 20).read_to_end(&mut manifest).map_err(corrupt)?;
    Ok(contains(&manifest, b"encryption-data"))
}

fn is_ods_cell(e: &BytesStart) -> bool {
    is_ods_cell_name(e.name().into_inner())
}

fn is_ods_cell_name(name: &str) -> bool {
    name == "table:table-cell" || name == "table:covered-table-cell"
}

/// Running state of one `table:table` element.
struct OdsSheet {
    name: String,
    hidden: Hidden,
    next_col_def: u64,
    row: u64,
    row_repeats: u64,
    row_hidden: bool,
    col: u64,
    last_filled_col: Option<u64>,
    row_cells: u64,
    cell: Option<(u64, bool)>,
    last_filled_row: Option<u64>,
    widest: u64,
    count: u64,
    merges: Vec<Region>,
}

impl OdsSheet {
    fn new(e: &BytesStart) -> OdsSheet {
        let name = e
            .try_get_attribute("table:name")
            .ok()
            .flatten()
            .map(|a| a.value.into_owned())
            .unwrap_or_default();
        OdsSheet {
            name,
            hidden: Hidden::default(),
            next_col_def: 0,
            row: 0,
            row_repeats: 0,
            row_hidden: false,
            col: 0,
            last_filled_col: None,
            row_cells: 0,
            cell: None,
            last_filled_row: None,
            widest: 0,
            count: 0,
            merges: Vec::new(),
        }
    }

    fn column(&mut self, e: &BytesStart) {
        let n = attr_u64(e, "table:number-columns-repeated").unwrap_or(1).max(1);
        let start = self.next_col_def.min(ODS_MAX_COLS);
        let end = self.next_col_def.saturating_add(n).min(ODS_MAX_COLS);
        if attr_is(e, "table:visibility", &["collapse", "filter"]) {
            self.hidden.push_col(start as u32..end as u32);
        }
        self.next_col_def = end;
    }

    fn row_start(&mut self, e: &BytesStart) {
        let n = attr_u64(e, "table:number-rows-repeated").unwrap_or(1).max(1);
        self.row_repeats = n.min(ODS_MAX_ROWS.saturating_sub(self.row));
        self.row_hidden = attr_is(e, "table:visibility", &["collapse", "filter"]);
        self.col = 0;
        self.last_filled_col = None;
        self.row_cells = 0;
    }

    fn cell_start(&mut self, e: &BytesStart, empty_element: bool) {
        let n = attr_u64(e, "table:number-columns-repeated").unwrap_or(1).max(1);
        let n = n.min(ODS_MAX_COLS.saturating_sub(self.col));
        let rows = attr_u64(e, "table:number-rows-spanned").unwrap_or(1).max(1);
        let cols = attr_u64(e, "table:number-columns-spanned").unwrap_or(1).max(1);
        if (rows > 1 || cols > 1) && self.merges.len() < MAX_MERGES {
            let bottom = self.row.saturating_add(rows - 1).min(ODS_MAX_ROWS - 1);
            let right = self.col.saturating_add(cols - 1).min(ODS_MAX_COLS - 1);
            // Both bounded by the sheet's size, which fits in u32.
            self.merges.push(Region {
                top: self.row as u32,
                left: self.col as u32,
                bottom: bottom as u32,
                right: right as u32,
            });
        }
        let valued = e.try_get_attribute("office:value-type").ok().flatten().is_some();
        if empty_element {
            self.place_cell(n, valued);
        } else {
            self.cell = Some((n, valued));
        }
    }

    /// Any element inside a cell (a paragraph, a note) may give it content.
    fn child(&mut self) {
        if let Some((_, filled)) = self.cell.as_mut() {
            *filled = true;
        }
    }

    fn cell_end(&mut self) {
        if let Some((n, filled)) = self.cell.take() {
            self.place_cell(n, filled);
        }
    }

    fn place_cell(&mut self, n: u64, filled: bool) {
        if filled && n > 0 {
            self.last_filled_col = Some(self.col + n - 1);
            self.row_cells += n;
        }
        self.col += n;
    }

    fn row_end(&mut self) {
        if let Some(last) = self.last_filled_col {
            // calamine keeps each distinct row up to its last filled cell,
            // which never exceeds the final grid it expands them into.
            self.widest = self.widest.max(last + 1);
            self.last_filled_row = Some(self.row + self.row_repeats - 1);
            self.count = self
                .count
                .saturating_add(self.row_cells.saturating_mul(self.row_repeats));
            if self.row_hidden {
                let end = (self.row + self.row_repeats).min(u64::from(u32::MAX));
                self.hidden.push_row(self.row as u32..end as u32);
            }
        }
        self.row += self.row_repeats;
    }

    fn finish(self, limits: &Limits, budget: &mut Budget) -> Result<SheetScan, Problem> {
        check_count(&self.name, self.count, limits)?;
        if let Some(last) = self.last_filled_row {
            budget.charge(&self.name, last + 1, self.widest)?;
        }
        Ok(SheetScan {
            hidden: self.hidden.normalize(),
            merges: self.merges,
        })
    }
}
