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

use std::io::{BufReader, Cursor, Read};
use std::ops::Range;

use quick_xml::events::{BytesStart, Event};

use super::{Format, Limits, Package, corrupt};
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

// ---------------------------------------------------------------- xls

/// BIFF record types that matter here ([MS-XLS] 2.3).
mod biff {
    pub const BOF: u16 = 0x0809;
    pub const EOF: u16 = 0x000A;
    pub const BOUND_SHEET: u16 = 0x0085;
    pub const FILE_PASS: u16 = 0x002F;
    pub const NAME: u16 = 0x0018;
    pub const DIMENSIONS: u16 = 0x0200;
    pub const ROW: u16 = 0x0208;
    pub const COL_INFO: u16 = 0x007D;
    pub const MUL_RK: u16 = 0x00BD;
    /// Records that calamine turns into one cell: row and column come first.
    pub const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
}

/// Scans an .xls workbook stream the way calamine will read it.
pub fn xls(bytes: &[u8], limits: &Limits) -> Result<Scan, Problem> {
    let stream = xls_stream(bytes)?;
    // Cell records of an encrypted stream are ciphertext: nothing to scan.
    if globals(&stream).any(|(typ, _)| typ == biff::FILE_PASS) {
        return Err(Problem::Encrypted);
    }
    // calamine indexes a defined name's fields without checking its length.
    if globals(&stream).any(|(typ, body)| typ == biff::NAME && !name_fits(body)) {
        return Err(Problem::Corrupt {
            detail: "工作簿中的名称定义记录不完整".into(),
        });
    }
    let sheets = bound_sheets(&stream);
    // calamine slices the stream at each sheet's offset unchecked.
    if sheets.iter().any(|(offset, _)| *offset >= stream.len()) {
        return Err(Problem::Corrupt {
            detail: "工作表的位置超出了文件范围".into(),
        });
    }
    let mut budget = Budget { limits, used: 0 };
    let mut scan = Vec::with_capacity(sheets.len());
    for (index, (offset, name)) in sheets.into_iter().enumerate() {
        let name = name.unwrap_or_else(|| format!("第 {} 个工作表", index + 1));
        scan.push(SheetScan {
            hidden: xls_sheet(&stream, offset, &name, limits, &mut budget)?,
            merges: Vec::new(),
        });
    }
    Ok(scan)
}

/// Tells what a compound file (OLE2) container holds.
pub fn cfb_format(bytes: &[u8]) -> Result<Format, Problem> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(cfb_problem)?;
    // An encrypted .xlsx (or .xls saved by newer Office) is a container
    // holding the encrypted package.
    if file.is_stream("EncryptedPackage") || file.is_stream("EncryptionInfo") {
        return Err(Problem::Encrypted);
    }
    if XLS_STREAMS.iter().any(|n| file.is_stream(n)) {
        return Ok(Format::Xls);
    }
    Err(Problem::NotAWorkbook)
}

const XLS_STREAMS: [&str; 2] = ["Workbook", "Book"];

fn cfb_problem(e: std::io::Error) -> Problem {
    Problem::Corrupt {
        detail: format!("复合文档结构错误：{e}"),
    }
}

fn xls_stream(bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    let corrupt = cfb_problem;
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(corrupt)?;
    let name = XLS_STREAMS
        .into_iter()
        .find(|n| file.is_stream(n))
        .ok_or(Problem::NotAWorkbook)?;
    let mut stream = Vec::new();
    // The stream cannot be larger than the file, which is already bounded.
    file.open_stream(name)
        .map_err(corrupt)?
        .read_to_end(&mut stream)
        .map_err(corrupt)?;
    Ok(stream)
}

/// Records of a BIFF stream from an offset: (type, body).
fn records(stream: &[u8], from: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = from;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let len = usize::from(u16_at(stream, pos + 2)?);
        let body = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((typ, body))
    })
}

/// Whether a NAME record holds the fixed part, its name and its formula.
fn name_fits(body: &[u8]) -> bool {
    let (Some(&cch), Some(cce)) = (body.get(3), u16_at(body, 4)) else {
        return false;
    };
    // BIFF8 names carry a flags byte and may be two bytes per character.
    14 + 1 + 2 * usize::from(cch) + usize::from(cce) <= body.len()
        || 14 + usize::from(cch) + usize::from(cce) <= body.len()
}

/// Records of the workbook globals substream.
fn globals(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    records(stream, 0).take_while(|(typ, _)| *typ != biff::EOF)
}

/// Stream offset of every sheet's BOF and its name where it can be decoded,
/// from the globals' BoundSheet records.
fn bound_sheets(stream: &[u8]) -> Vec<(usize, Option<String>)> {
    globals(stream)
        .filter(|(typ, _)| *typ == biff::BOUND_SHEET)
        .filter_map(|(_, body)| Some((u32_at(body, 0)? as usize, sheet_name(body.get(6..)?))))
        .collect()
}

/// A BIFF8 ShortXLUnicodeString: UTF-16 when flagged, else one byte per
/// character (ASCII is all that decodes the same in every code page).
fn sheet_name(bytes: &[u8]) -> Option<String> {
    let len = usize::from(*bytes.first()?);
    let wide = bytes.get(1)? & 1 == 1;
    let chars = bytes.get(2..)?;
    if wide {
        let units: Vec<u16> = chars
            .get(..len * 2)?
            .chunks_exact(2)
            .filter_map(|c| Some(u16::from_le_bytes(c.try_into().ok()?)))
            .collect();
        String::from_utf16(&units).ok()
    } else {
        let name = chars.get(..len)?;
        name.is_ascii().then(|| String::from_utf8_lossy(name).into_owned())
    }
}

fn xls_sheet(
    stream: &[u8],
    offset: usize,
    name: &str,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Hidden, Problem> {
    let mut hidden = Hidden::default();
    let mut bounds = Bounds::default();
    let mut depth = 0usize;
    let mut seen_bof = false;
    for (typ, body) in records(stream, offset) {
        // Embedded charts nest their own BOF…EOF substreams; calamine skips them.
        if depth > 0 {
            match typ {
                biff::BOF => depth += 1,
                biff::EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            biff::BOF if seen_bof => depth += 1,
            biff::BOF => seen_bof = true,
            biff::EOF => break,
            biff::DIMENSIONS => {
                // calamine reserves room for the declared area up front.
                let (rows, cols) = declared_area(body);
                if rows.saturating_mul(cols) > limits.max_grid_cells {
                    return Err(Problem::GridTooLarge {
                        sheet: name.to_string(),
                        rows,
                        cols,
                        limit: limits.max_grid_cells,
                    });
                }
            }
            biff::ROW => {
                let flags = u16_at(body, 12).unwrap_or(0);
                if let Some(row) = u16_at(body, 0).filter(|_| flags & 0x0020 != 0) {
                    let row = u32::from(row);
                    hidden.push_row(row..row + 1);
                }
            }
            biff::COL_INFO => {
                let flags = u16_at(body, 8).unwrap_or(0);
                if let (Some(first), Some(last)) = (u16_at(body, 0), u16_at(body, 2))
                    && flags & 0x0001 != 0
                    && first <= last
                {
                    hidden.push_col(u32::from(first)..u32::from(last) + 1);
                }
            }
            biff::MUL_RK => {
                if let (Some(row), Some(first), Some(last)) = (
                    u16_at(body, 0),
                    u16_at(body, 2),
                    body.len().checked_sub(2).and_then(|at| u16_at(body, at)),
                ) {
                    // calamine subtracts these unchecked.
                    if last < first {
                        return Err(Problem::Corrupt {
                            detail: format!("工作表「{name}」中的单元格记录不完整"),
                        });
                    }
                    bounds.add(u32::from(row), u32::from(first));
                    bounds.add(u32::from(row), u32::from(last));
                    bounds.count += u64::from(last.saturating_sub(first));
                }
            }
            t if biff::CELLS.contains(&t) => {
                if let (Some(row), Some(col)) = (u16_at(body, 0), u16_at(body, 2)) {
                    bounds.add(u32::from(row), u32::from(col));
                }
            }
            _ => {}
        }
    }
    bounds.check(name, limits, budget)?;
    Ok(hidden.normalize())
}

/// Rows and columns a DIMENSIONS record declares, as calamine reads them.
fn declared_area(body: &[u8]) -> (u64, u64) {
    let (first_row, last_row, first_col, last_col) = match body.len() {
        10 => (
            u16_at(body, 0).map(u32::from),
            u16_at(body, 2).map(u32::from),
            u16_at(body, 4),
            u16_at(body, 6),
        ),
        14 | 16 => (u32_at(body, 0), u32_at(body, 4), u16_at(body, 8), u16_at(body, 10)),
        _ => return (0, 0),
    };
    let (Some(fr), Some(lr), Some(fc), Some(lc)) = (first_row, last_row, first_col, last_col) else {
        return (0, 0);
    };
    let fc = if fc > 0xFF || lc < fc { 0 } else { fc };
    if lr == 0 || lc == 0 {
        return (1, 1);
    }
    // calamine subtracts without checking; a first row past the last wraps.
    let rows = u64::from(lr.wrapping_sub(1).wrapping_sub(fr)) + 1;
    let cols = u64::from(lc - 1).saturating_sub(u64::from(fc)) + 1;
    (rows, cols)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

fn check_count(sheet: &str, count: u64, limits: &Limits) -> Result<(), Problem> {
    if count > limits.max_cells as u64 {
        return Err(Problem::TooManyCells {
            sheet: sheet.to_string(),
            count,
            limit: limits.max_cells,
        });
    }
    Ok(())
}

/// Bounding box and count of the non-empty cells of one sheet.
#[derive(Debug, Default)]
struct Bounds {
    max: Option<(u32, u32)>,
    count: u64,
}

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        self.count += 1;
        self.max = Some(match self.max {
            Some((r, c)) => (r.max(row), c.max(col)),
            None => (row, col),
        });
    }

    fn check(&self, name: &str, limits: &Limits, budget: &mut Budget) -> Result<(), Problem> {
        check_count(name, self.count, limits)?;
        match self.max {
            Some((row, col)) => budget.charge(name, u64::from(row) + 1, u64::from(col) + 1),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- ods

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

fn attr_u64(e: &BytesStart, key: &str) -> Option<u64> {
    let attr = e.try_get_attribute(key).ok().flatten()?;
    attr.value.trim().parse().ok()
}

fn attr_is(e: &BytesStart, key: &str, values: &[&str]) -> bool {
    matches!(e.try_get_attribute(key), Ok(Some(a)) if values.contains(&a.value.as_ref()))
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

// ---------------------------------------------------------------- xlsx

/// Hidden rows and columns of an .xlsx, in workbook order.
///
/// Sheets are streamed by calamine's cell reader, so only this metadata is
/// gathered here; a sheet part without the word `hidden` costs one inflate.
pub fn xlsx(zip: &mut Package) -> Result<Scan, Problem> {
    // The workbook part is where the package's relationships say, usually
    // xl/workbook.xml; its own relationships sit beside it in _rels/.
    // A damaged root part leaves the usual place to try; calamine reports
    // the damage in its own words if the workbook is not there either.
    let root = part(zip, "_rels/.rels").ok().flatten().unwrap_or_default();
    let workbook_path = relationships(&root)
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| resolve("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let (dir, file) = match workbook_path.rsplit_once('/') {
        Some((dir, file)) => (dir.to_string(), file.to_string()),
        None => (String::new(), workbook_path.clone()),
    };
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let workbook = part(zip, &workbook_path)?.unwrap_or_default();
    let targets = relationships(&part(zip, &rels_path)?.unwrap_or_default());
    let mut scan = Vec::new();
    for id in sheet_ids(&workbook) {
        let target = targets.iter().find(|r| r.id == id).map(|r| r.target.as_str());
        let xml = match target {
            Some(t) => part(zip, &resolve(&dir, t))?.unwrap_or_default(),
            None => Vec::new(),
        };
        scan.push(SheetScan {
            hidden: xlsx_hidden(&xml),
            merges: xlsx_merges(&xml),
        });
    }
    Ok(scan)
}

fn xlsx_merges(xml: &[u8]) -> Vec<Region> {
    let mut merges = Vec::new();
    let Some(start) = memchr::memmem::find(xml, b"<mergeCells") else {
        return merges;
    };
    // Streamed from the list itself, at most as many as a sheet can use.
    let mut reader = quick_xml::Reader::from_reader(xml.get(start..).unwrap_or_default());
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "mergeCell" => {
                let range = e.try_get_attribute("ref").ok().flatten();
                if let Some(region) = range.and_then(|a| merge_region(&a.value)) {
                    merges.push(region);
                }
                if merges.len() >= MAX_MERGES {
                    break;
                }
            }
            Event::End(e) if e.local_name().into_inner() == "mergeCells" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    merges
}

/// Most merged regions read from one sheet; a form has a few dozen.
const MAX_MERGES: usize = 10_000;

/// `B2:C4` as a zero-based region.
fn merge_region(range: &str) -> Option<Region> {
    let (a, b) = range.split_once(':')?;
    let ((r0, c0), (r1, c1)) = (cell_position(a)?, cell_position(b)?);
    Some(Region {
        top: r0.min(r1),
        left: c0.min(c1),
        bottom: r0.max(r1),
        right: c0.max(c1),
    })
}

/// `C4` as zero-based (row, column).
fn cell_position(cell: &str) -> Option<(u32, u32)> {
    let cell = cell.trim().trim_start_matches('$');
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let letters = letters.trim_end_matches('$');
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_alphabetic()
            .then(|| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// A part's bytes, found by name as calamine finds it: also under Windows
/// `\\` separators, and case aside.
fn part(zip: &mut Package, name: &str) -> Result<Option<Vec<u8>>, Problem> {
    let index = zip
        .index_for_name(name)
        .or_else(|| zip.index_for_name(&name.replace('/', "\\")))
        .or_else(|| {
            let wanted = super::part_name(name);
            (0..zip.len()).find(|&i| {
                zip.name_for_index(i)
                    .is_some_and(|n| n.is_ok_and(|n| super::part_name(&n) == wanted))
            })
        });
    let Some(index) = index else {
        return Ok(None);
    };
    let mut entry = zip.by_index(index).map_err(corrupt)?;
    let mut out = Vec::new();
    // Part sizes were checked against the limits from the central directory.
    entry.read_to_end(&mut out).map_err(corrupt)?;
    Ok(Some(out))
}

/// A relationship target as a part name: absolute (`/xl/…`) from the
/// package root, otherwise relative to `dir`, `..` resolved.
fn resolve(dir: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => dir.split('/').filter(|p| !p.is_empty()).collect(),
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Relationship ids of the `<sheet>` elements, in order.
fn sheet_ids(xml: &[u8]) -> Vec<String> {
    elements(xml, "sheet")
        .into_iter()
        .map(|attrs| attr(&attrs, "id").unwrap_or_default())
        .collect()
}

/// One `<Relationship>`: its id, type and target.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// Every relationship of a `.rels` part.
fn relationships(xml: &[u8]) -> Vec<Relationship> {
    elements(xml, "Relationship")
        .into_iter()
        .filter_map(|attrs| {
            Some(Relationship {
                id: attr(&attrs, "Id")?,
                kind: attr(&attrs, "Type").unwrap_or_default(),
                target: attr(&attrs, "Target")?,
            })
        })
        .collect()
}

type Attrs = Vec<(String, String)>;

/// Attributes (by local name) of every element with the given local name.
fn elements(xml: &[u8], local: &str) -> Vec<Attrs> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut found = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == local => {
                let attrs = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .map(|a| {
                        let key = a.key.local_name().into_inner().to_string();
                        (key, a.value.into_owned())
                    })
                    .collect();
                found.push(attrs);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

fn attr(attrs: &Attrs, key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn xlsx_hidden(xml: &[u8]) -> Hidden {
    let mut hidden = Hidden::default();
    if !contains(xml, b"hidden=") {
        return hidden;
    }
    // Streamed: a sheet part may hold a million rows.
    let number = |e: &BytesStart, key: &str| attr_u64(e, key).and_then(|v| u32::try_from(v).ok());
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut next = 0u32;
    while let Ok(event) = reader.read_event() {
        let (Event::Start(e) | Event::Empty(e)) = event else {
            if matches!(event, Event::Eof) {
                break;
            }
            continue;
        };
        let is_hidden = attr_is(&e, "hidden", &["1", "true"]);
        match e.local_name().into_inner() {
            "col" => {
                if let (Some(min), Some(max)) = (number(&e, "min"), number(&e, "max"))
                    && is_hidden
                    && min >= 1
                    && min <= max
                {
                    hidden.push_col(min - 1..max);
                }
            }
            "row" => {
                let row = number(&e, "r").and_then(|r| r.checked_sub(1)).unwrap_or(next);
                if is_hidden {
                    hidden.push_row(row..row.saturating_add(1));
                }
                next = row.saturating_add(1);
            }
            _ => {}
        }
    }
    hidden.normalize()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_from_their_part() {
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("", "sheet1.xml"), "sheet1.xml");
        assert_eq!(resolve("xl", "..\\sheets\\a.xml"), "sheets/a.xml");
    }

    #[test]
    fn declared_dimensions_read_like_calamine() {
        // BIFF8: rows 0..65536, columns 0..256.
        let mut body = Vec::new();
        body.extend(0u32.to_le_bytes());
        body.extend(65_536u32.to_le_bytes());
        body.extend(0u16.to_le_bytes());
        body.extend(256u16.to_le_bytes());
        body.extend(0u16.to_le_bytes());
        assert_eq!(declared_area(&body), (65_536, 256));
        // A first row past the last wraps in calamine: a huge area.
        let mut wrapped = body.clone();
        wrapped.splice(0..4, 70_000u32.to_le_bytes());
        assert!(declared_area(&wrapped).0 > 4_000_000_000);
        assert_eq!(declared_area(&[0; 3]), (0, 0));
    }

    #[test]
    fn merged_ranges_read_from_the_sheet() {
        let xml = br#"<worksheet><mergeCells count="2"><mergeCell ref="A5:A9"/><mergeCell ref="$B$2:AA3"/></mergeCells></worksheet>"#;
        let regions: Vec<(u32, u32, u32, u32)> = xlsx_merges(xml)
            .iter()
            .map(|r| (r.top, r.left, r.bottom, r.right))
            .collect();
        assert_eq!(regions, [(4, 0, 8, 0), (1, 1, 2, 26)]);
        assert_eq!(cell_position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_position("A0"), None);
    }

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

    #[test]
    fn hidden_spans_merge_and_cover() {
        let xml = br#"<worksheet><cols><col min="3" max="4" hidden="1"/></cols><sheetData>
            <row r="2" hidden="1"><c r="A2"/></row><row hidden="true"/><row r="9"/></sheetData></worksheet>"#;
        let hidden = xlsx_hidden(xml);
        assert_eq!(hidden.rows, vec![1..3]);
        assert_eq!(hidden.cols, vec![2..4]);
        assert!(hidden.row_span(2).is_some() && hidden.col_span(3).is_some());
        assert!(hidden.row_span(8).is_none() && hidden.col_span(1).is_none());
    }
}
