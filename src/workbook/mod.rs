//! Opening workbooks: format detection by content, package limits, and the
//! calamine readers. This is the only module that knows calamine's types.
//!
//! Untrusted sheets are never handed to an API that sizes a grid from the
//! dimensions a file declares: xlsx and xlsb are streamed cell by cell into a
//! sparse [`Grid`], and zip parts are checked against limits from the central
//! directory before anything is decompressed.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod limits;
mod prescan;

use std::io::{Cursor, Read};

use calamine::{
    DataType, Ods, OdsError, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError,
};
use serde::{Deserialize, Serialize};

use crate::grid::{Grid, Region, Value};
use crate::issue::Problem;

pub use limits::{Limits, LimitsError, LimitsFile};
pub use prescan::Hidden;

/// Spreadsheet formats, as detected from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97–2003.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
}

impl Format {
    /// Short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    fn matches_extension(self, ext: &str) -> bool {
        match self {
            Format::Xlsx => ext == "xlsx" || ext == "xlsm",
            other => ext == other.name(),
        }
    }
}

/// One sheet of a workbook.
#[derive(Debug)]
pub struct Sheet {
    /// Sheet name.
    pub name: String,
    /// Hidden in the workbook.
    pub hidden: bool,
    /// Its hidden rows and columns.
    pub hidden_cells: Hidden,
    /// Its cells, or why they could not be read.
    pub grid: Result<Grid, Problem>,
}

/// An opened workbook.
#[derive(Debug)]
pub struct Workbook {
    /// The detected format.
    pub format: Format,
    /// Whether the file extension disagrees with the content.
    pub extension_mismatch: bool,
    /// Worksheets in workbook order (chart and macro sheets left out).
    pub sheets: Vec<Sheet>,
}

/// Opens a workbook from its bytes; `ext` is the lower-case file extension.
pub fn open(bytes: &[u8], ext: &str, limits: &Limits) -> Result<Workbook, Problem> {
    let (format, package) = sniff(bytes, limits)?;
    let sheets = match (format, package) {
        (Format::Xlsx, Some(mut package)) => {
            let scan = prescan::xlsx(&mut package)?;
            read_xlsx(bytes, limits, scan)?
        }
        (Format::Xlsb, _) => read_xlsb(bytes, limits)?,
        (Format::Xls, _) => {
            let scan = prescan::xls(bytes, limits)?;
            let wb = Xls::new(Cursor::new(bytes)).map_err(xls_problem)?;
            read_loaded(wb, limits, scan, |wb, name| {
                wb.merge_cells_by_sheet_name(name).unwrap_or_default()
            })?
        }
        (Format::Ods, Some(mut package)) => {
            let scan = prescan::ods(&mut package, limits)?;
            let wb = Ods::new(Cursor::new(bytes)).map_err(ods_problem)?;
            read_loaded(wb, limits, scan, |_, _| Vec::new())?
        }
        // sniff opens the package of every zip format.
        (Format::Xlsx | Format::Ods, None) => return Err(Problem::NotAWorkbook),
    };
    Ok(Workbook {
        format,
        extension_mismatch: !format.matches_extension(ext),
        sheets,
    })
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A zip package read from memory, its directory parsed once.
type Package<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The format, and for zip formats the package already opened.
fn sniff<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Format, Option<Package<'a>>), Problem> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        let (format, package) = inspect_zip(bytes, limits)?;
        return Ok((format, Some(package)));
    }
    if bytes.starts_with(CFB_MAGIC) {
        // calamine's own container reader follows a cyclic sector chain
        // until memory runs out: only a container that parses cleanly here
        // reaches it.
        return Ok((prescan::cfb_format(bytes)?, None));
    }
    Err(Problem::NotAWorkbook)
}

/// Checks the zip directory against the limits and tells the package type.
///
/// Part names are compared the way calamine finds them: case aside, with
/// Windows-style `\\` separators read as `/`, and the workbook part wherever
/// the package puts it (the usual `xl/workbook.xml`, or the package root).
fn inspect_zip<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Format, Package<'a>), Problem> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut total: u64 = 0;
    let (mut xlsx, mut xlsb, mut ods) = (false, false, false);
    let mut shared_strings = None;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(corrupt)?;
        let raw_name = entry.name().map_err(corrupt)?.to_string();
        let name = part_name(&raw_name);
        let file = name.rsplit('/').next().unwrap_or_default();
        let size = entry.size();
        let limit = if file == "sharedstrings.xml" {
            limits.max_shared_strings_bytes
        } else {
            limits.max_part_bytes
        };
        if size > limit {
            return Err(Problem::PartTooLarge {
                part: raw_name,
                size,
                limit,
            });
        }
        total = total.saturating_add(size);
        match file {
            "workbook.xml" => xlsx = true,
            "workbook.bin" => xlsb = true,
            "content.xml" if name == "content.xml" => ods = true,
            "sharedstrings.xml" => shared_strings = Some((i, size)),
            _ => {}
        }
    }
    if total > limits.max_package_bytes {
        return Err(Problem::PartTooLarge {
            part: "全部内容".into(),
            size: total,
            limit: limits.max_package_bytes,
        });
    }
    if let Some((i, size)) = shared_strings {
        check_unique_count(&mut zip, i, size)?;
    }
    let format = if xlsb {
        Format::Xlsb
    } else if xlsx {
        Format::Xlsx
    } else if ods {
        Format::Ods
    } else {
        return Err(Problem::NotAWorkbook);
    };
    Ok((format, zip))
}

/// A zip part name as compared: lower case, `/` separators, no leading `/`.
fn part_name(raw: &str) -> String {
    raw.replace('\\', "/").trim_start_matches('/').to_ascii_lowercase()
}

/// calamine reserves the declared `uniqueCount` of shared strings unchecked;
/// a tiny table declaring billions would abort the process. Every string
/// takes at least `<si/>` (5 bytes), so a larger count is a lie.
fn check_unique_count(zip: &mut Package, index: usize, size: u64) -> Result<(), Problem> {
    let mut head = Vec::with_capacity(4096);
    let entry = zip.by_index(index).map_err(corrupt)?;
    entry.take(4096).read_to_end(&mut head).map_err(corrupt)?;
    let head = String::from_utf8_lossy(&head);
    let declared = head
        .split_once("uniqueCount=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|n| n.parse::<u64>().ok());
    match declared {
        Some(n) if n > size / 5 + 1 => Err(Problem::Corrupt {
            detail: format!("共享字符串表声明 {n} 项，与其大小 {size} 字节不符"),
        }),
        _ => Ok(()),
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits, scan: prescan::Scan) -> Result<Vec<Sheet>, Problem> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_problem)?;
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for (meta, found) in worksheets(metas, scan) {
        let grid = xlsx_grid(&mut wb, &meta.name, &found.merges, limits);
        sheets.push(Sheet {
            hidden: meta.visible != SheetVisible::Visible,
            hidden_cells: found.hidden,
            name: meta.name,
            grid,
        });
    }
    Ok(sheets)
}

/// Worksheets (chart and macro sheets left out) with what the pre-scan found
/// of each, matched by workbook order.
fn worksheets<T: Default>(metas: Vec<calamine::Sheet>, scan: Vec<T>) -> impl Iterator<Item = (calamine::Sheet, T)> {
    let mut scan = scan.into_iter();
    metas
        .into_iter()
        .map(move |meta| (meta, scan.next().unwrap_or_default()))
        .filter(|(meta, _)| meta.typ == SheetType::WorkSheet)
}

fn xlsx_grid(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, regions: &[Region], limits: &Limits) -> Result<Grid, Problem> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(sheet_problem)?;
    let mut cells = Vec::new();
    let mut computed = Vec::new();
    while let Some(record) = reader.next_cell_with_formula_metadata().map_err(sheet_problem)? {
        let value = match (to_value(&record.value), record.formula) {
            (Some(v), Some(_)) => {
                computed.push(record.pos);
                v
            }
            (Some(v), None) => v,
            (None, Some(formula)) => Value::Formula(formula_text(&formula)),
            (None, None) => continue,
        };
        push_cell(&mut cells, record.pos, value, limits)?;
    }
    let mut grid = Grid::new(cells, regions);
    grid.mark_formulas(&computed);
    Ok(grid)
}

fn formula_text(formula: &calamine::XlsxFormulaMetadata) -> String {
    match formula {
        calamine::XlsxFormulaMetadata::Normal { formula } | calamine::XlsxFormulaMetadata::Shared { formula, .. } => {
            formula.clone()
        }
        _ => "（共享公式）".to_string(),
    }
}

fn read_xlsb(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, Problem> {
    let mut wb = Xlsb::new(Cursor::new(bytes)).map_err(xlsb_problem)?;
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for meta in metas.into_iter().filter(|m| m.typ == SheetType::WorkSheet) {
        let grid = (|| {
            let mut reader = wb.worksheet_cells_reader(&meta.name).map_err(sheet_problem)?;
            let mut cells = Vec::new();
            while let Some(cell) = reader.next_cell().map_err(sheet_problem)? {
                if let Some(v) = to_value(cell.get_value()) {
                    push_cell(&mut cells, cell.get_position(), v, limits)?;
                }
            }
            Ok(Grid::new(cells, &[]))
        })();
        sheets.push(Sheet {
            hidden: meta.visible != SheetVisible::Visible,
            // Not read from .xlsb, which no form producer writes.
            hidden_cells: Hidden::default(),
            name: meta.name,
            grid,
        });
    }
    Ok(sheets)
}

/// Formats whose reader loads every sheet on open (.xls, .ods); merged
/// regions come from `merges` (.xls) or else from the pre-scan (.ods).
fn read_loaded<'a, R>(
    mut wb: R,
    limits: &Limits,
    scan: prescan::Scan,
    merges: impl Fn(&R, &str) -> Vec<calamine::Dimensions>,
) -> Result<Vec<Sheet>, Problem>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for (meta, found) in worksheets(metas, scan) {
        let mut regions: Vec<Region> = merges(&wb, &meta.name).iter().map(|d| region(d.start, d.end)).collect();
        if regions.is_empty() {
            regions = found.merges;
        }
        let hidden_cells = found.hidden;
        let grid = wb.worksheet_range(&meta.name).map_err(sheet_problem).and_then(|range| {
            let (row0, col0) = range.start().unwrap_or((0, 0));
            let mut cells = Vec::new();
            for (r, c, data) in range.used_cells() {
                if let Some(v) = to_value(data) {
                    let pos = (row0 + r as u32, col0 + c as u32);
                    push_cell(&mut cells, pos, v, limits)?;
                }
            }
            Ok(Grid::new(cells, &regions))
        });
        sheets.push(Sheet {
            hidden: meta.visible != SheetVisible::Visible,
            hidden_cells,
            name: meta.name,
            grid,
        });
    }
    Ok(sheets)
}

fn push_cell(
    cells: &mut Vec<(u32, u32, Value)>,
    pos: (u32, u32),
    value: Value,
    limits: &Limits,
) -> Result<(), Problem> {
    if cells.len() >= limits.max_cells {
        return Err(Problem::SheetTooManyCells {
            limit: limits.max_cells,
        });
    }
    cells.push((pos.0, pos.1, value));
    Ok(())
}

fn region(start: (u32, u32), end: (u32, u32)) -> Region {
    Region {
        top: start.0,
        left: start.1,
        bottom: end.0,
        right: end.1,
    }
}

/// Converts any calamine cell to a [`Value`]; `None` for an empty cell.
fn to_value<T: DataType>(d: &T) -> Option<Value> {
    if d.is_empty() {
        None
    } else if let Some(i) = d.get_int() {
        Some(Value::Number(i as f64))
    } else if let Some(f) = d.get_float() {
        // A stored INF or NaN is no number a person typed: Excel shows #NUM!.
        Some(if f.is_finite() {
            Value::Number(f)
        } else {
            Value::Error("#NUM!".to_string())
        })
    } else if let Some(s) = d.get_string() {
        Some(Value::Text(s.to_string()))
    } else if let Some(b) = d.get_bool() {
        Some(Value::Bool(b))
    } else if let Some(dt) = d.get_datetime() {
        // calamine knows the workbook's date system (1900 or 1904).
        let (year, month, day, ..) = dt.to_ymd_hms_milli();
        Some(Value::Date(format!("{year:04}-{month:02}-{day:02}")))
    } else if let Some(s) = d.get_datetime_iso().or(d.get_duration_iso()) {
        Some(Value::Date(s.to_string()))
    } else {
        d.get_error().map(|e| Value::Error(e.to_string()))
    }
}

fn xlsx_problem(e: XlsxError) -> Problem {
    match e {
        XlsxError::Password => Problem::Encrypted,
        other => corrupt(other),
    }
}

fn xlsb_problem(e: XlsbError) -> Problem {
    match e {
        XlsbError::Password => Problem::Encrypted,
        other => corrupt(other),
    }
}

fn xls_problem(e: XlsError) -> Problem {
    match e {
        XlsError::Password => Problem::Encrypted,
        other => corrupt(other),
    }
}

fn ods_problem(e: OdsError) -> Problem {
    match e {
        OdsError::Password => Problem::Encrypted,
        other => corrupt(other),
    }
}

fn sheet_problem(e: impl std::fmt::Display) -> Problem {
    Problem::SheetUnreadable {
        detail: explain(&e.to_string()),
    }
}

/// A damaged file, with the reader's words put plainly where they are known.
fn corrupt(e: impl std::fmt::Display) -> Problem {
    Problem::Corrupt {
        detail: explain(&e.to_string()),
    }
}

/// Chinese for the low-level errors users meet; anything else verbatim.
fn explain(detail: &str) -> String {
    const KNOWN: [(&str, &str); 4] = [
        (
            "larger than its declared",
            "解压后的内容大于文件自身声明的大小，疑似恶意构造的压缩文件",
        ),
        ("Could not find EOCD", "压缩包不完整，文件可能在下载或复制时被截断"),
        (
            "Could not find central directory end",
            "压缩包不完整，文件可能在下载或复制时被截断",
        ),
        ("Invalid checksum", "数据校验失败，文件内容已损坏"),
    ];
    match KNOWN.iter().find(|(needle, _)| detail.contains(needle)) {
        Some((_, plain)) => plain.to_string(),
        None => detail.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_print_as_calendar_dates_in_either_date_system() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType::DateTime};
        let date = |serial, is_1904| to_value(&Data::DateTime(ExcelDateTime::new(serial, DateTime, is_1904)));
        assert_eq!(date(25569.0, false), Some(Value::Date("1970-01-01".into())));
        assert_eq!(date(45356.0, false), Some(Value::Date("2024-03-05".into())));
        assert_eq!(date(42735.0, true), Some(Value::Date("2021-01-01".into())));
    }

    #[test]
    fn stored_infinities_are_no_numbers() {
        assert_eq!(
            to_value(&calamine::Data::Float(f64::INFINITY)),
            Some(Value::Error("#NUM!".into()))
        );
    }

    #[test]
    fn text_and_random_bytes_are_not_workbooks() {
        let limits = Limits::default();
        assert_eq!(open(b"hello", "xlsx", &limits).unwrap_err(), Problem::NotAWorkbook);
        let truncated = b"PK\x03\x04\x14\x00\x00\x00";
        assert!(matches!(
            open(truncated, "xlsx", &limits).unwrap_err(),
            Problem::Corrupt { .. }
        ));
    }
}
