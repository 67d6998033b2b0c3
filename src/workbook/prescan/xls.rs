//! .xls (BIFF in a compound file): declared dimensions and cell records.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::io::{Cursor, Read};

use super::*;
use crate::issue::Problem;
use crate::workbook::{Format, Limits};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
