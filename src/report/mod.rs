//! Outputs: one module per file written, plus the shared plumbing here —
//! the atomic writer, byte-stable workbooks and a row writer for tables.

pub mod feedback;
pub mod json;
pub mod members;
pub mod public;
pub mod summary;
pub mod terminal;

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::points::snap;
use crate::scheme::{Scheme, TierId};

/// Writes `bytes` to `path` through a temporary file in the same folder, so a
/// crash never leaves a half-written file under the final name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] for content streamed by `write` rather than held in memory.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<&fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut out = io::BufWriter::new(tmp.as_file());
        write(&mut out)?;
        out.flush()?;
    }
    // Temporary files are private (0600); an output is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a file into a folder no one reads yet (the staging folder of
/// [`replace_folder`], a new sample inbox): nothing there has a final name
/// until the folder is complete, so a temporary file and a flush per file
/// (which cost more than building a feedback workbook) are not needed.
pub fn write_staged(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, bytes)
}

/// Writes a whole folder of files at once: they are written into a staging
/// folder beside `dir`, which then replaces `dir`. A crash leaves either the
/// old folder or the new one, never a mixture, and no stale file survives.
pub fn replace_folder<E>(dir: &Path, write_all: impl FnOnce(&Path) -> Result<(), E>) -> Result<(), E>
where
    E: From<io::Error>,
{
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new().prefix(".starsheet-new-").tempdir_in(parent)?;
    write_all(staging.path())?;
    let old = tempfile::Builder::new().prefix(OLD_PREFIX).tempdir_in(parent)?;
    if dir.exists() {
        // Kept under its own name, so that `recover` can put it back if the
        // run dies before the next rename.
        let name = dir.file_name().unwrap_or(dir.as_os_str());
        fs::rename(dir, old.path().join(name))?;
    }
    fs::rename(staging.keep(), dir)?;
    drop(old);
    Ok(())
}

/// Prefix of every temporary file and folder the writers leave while working.
const TEMP_PREFIX: &str = ".starsheet-";
/// Prefix of the folder holding a replaced folder until the swap is done.
const OLD_PREFIX: &str = ".starsheet-old-";

/// Tidies an output folder after a run that was killed: a folder caught
/// between the two renames of [`replace_folder`] is put back, and every
/// other temporary file or folder is removed.
pub fn recover(out_dir: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(out_dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        if !entry.file_type()?.is_dir() {
            fs::remove_file(&path)?;
            continue;
        }
        if name.starts_with(OLD_PREFIX) {
            for kept in fs::read_dir(&path)? {
                let kept = kept?;
                let target = out_dir.join(kept.file_name());
                if !target.exists() {
                    fs::rename(kept.path(), target)?;
                }
            }
        }
        fs::remove_dir_all(&path)?;
    }
    Ok(())
}

/// A workbook whose bytes depend only on its content: fixed creation time.
pub fn new_workbook(title: &str) -> Workbook {
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new().set_title(title).set_author("starsheet");
    if let Ok(fixed) = ExcelDateTime::from_ymd(2026, 1, 1) {
        properties = properties.set_creation_datetime(&fixed);
    }
    workbook.set_properties(&properties);
    // Outputs are a few kilobytes of repetitive XML: the fastest level
    // compresses them nearly as well and saves a sixth of the writing time.
    workbook.set_zip_compression_level(1);
    workbook
}

/// One cell of an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, always written as a string (never a formula).
    Text(String),
    /// Points, shown with the given number of decimals.
    Points(f64, usize),
    /// A whole number.
    Count(u64),
    /// A share shown as a percentage.
    Percent(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A scheme value shown with just the decimals it has (20, 92.5, 0.25).
    pub fn exact(v: f64) -> Cell {
        let decimals = (0..=2).find(|&d| crate::points::same((v * 10f64.powi(d)).round(), v * 10f64.powi(d)));
        Cell::Points(v, decimals.unwrap_or(2) as usize)
    }

    /// Optional text; empty when absent.
    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }
}

/// The body format of a table cell.
pub fn body_format() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_font_size(10)
        .set_align(FormatAlign::VerticalCenter)
}

/// Writes one table row, optionally filled with a colour.
pub fn write_row(ws: &mut Worksheet, row: u32, cells: &[Cell], fill: Option<u32>) -> Result<(), XlsxError> {
    let mut base = body_format();
    if let Some(rgb) = fill {
        base = base.set_background_color(Color::RGB(rgb));
    }
    for (col, cell) in cells.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        match cell {
            Cell::Text(t) => ws.write_string_with_format(row, col, t, &base)?,
            Cell::Points(v, decimals) => {
                let f = base
                    .clone()
                    .set_num_format(points_format(*decimals))
                    .set_align(FormatAlign::Right);
                ws.write_number_with_format(row, col, *v, &f)?
            }
            Cell::Count(n) => ws.write_number_with_format(row, col, *n as f64, &base.clone().set_num_format("0"))?,
            Cell::Percent(p) => ws.write_number_with_format(row, col, *p, &base.clone().set_num_format("0.0%"))?,
            Cell::Empty => ws.write_blank(row, col, &base)?,
        };
    }
    Ok(())
}

/// The header format of a table.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// Writes a header row.
pub fn write_header(ws: &mut Worksheet, row: u32, labels: &[String]) -> Result<(), XlsxError> {
    let format = header_format();
    for (col, label) in labels.iter().enumerate() {
        ws.write_string_with_format(row, u16::try_from(col).unwrap_or(u16::MAX), label, &format)?;
    }
    Ok(())
}

/// Landscape A4, fitted to the page width, header rows repeated, page numbers.
pub fn print_setup(ws: &mut Worksheet, title: &str, repeat_rows: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, repeat_rows.saturating_sub(1))?;
    ws.set_header(format!("&C&\"-,Bold\"{}", escape_header(title)));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// `&` starts a control code in page headers; a literal one is doubled.
fn escape_header(text: &str) -> String {
    text.replace('&', "&&")
}

fn points_format(decimals: usize) -> String {
    if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals))
    }
}

/// Decimals to display a total with: one, or as many as it takes for the
/// displayed number not to suggest another tier (94.96 shows as 94.96, not
/// 95.0, next to 四星) nor to look equal to a neighbour ranked differently.
pub fn total_decimals(scheme: &Scheme, total: f64, tier: TierId, vetoed: bool, neighbours: &[f64]) -> usize {
    let round = |x: f64, d: usize| {
        let factor = 10f64.powi(d as i32);
        snap((x * factor).round() / factor)
    };
    (1..=4)
        .find(|&d| {
            let shown = round(total, d);
            (vetoed || scheme.tier_for(shown) == tier)
                && neighbours
                    .iter()
                    .all(|&n| crate::points::same(n, total) || round(n, d) != shown)
        })
        .unwrap_or(4)
}

/// Display decimals for each total of a ranked list (see [`total_decimals`]).
pub fn ranked_decimals(scheme: &Scheme, results: &[crate::score::Assessment]) -> Vec<usize> {
    let total = |i: usize| results.get(i).and_then(|r| r.total);
    (0..results.len())
        .map(|i| match (results[i].total, results[i].tier) {
            (Some(t), Some(tier)) => {
                let neighbours: Vec<f64> = [i.checked_sub(1).and_then(total), total(i + 1)]
                    .into_iter()
                    .flatten()
                    .collect();
                total_decimals(scheme, t, tier, !results[i].vetoed.is_empty(), &neighbours)
            }
            _ => 1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_never_display_as_another_tier() {
        let s = Scheme::load("standard").unwrap();
        let d = |t: f64, n: &[f64]| total_decimals(&s, t, s.tier_for(t), false, n);
        assert_eq!(d(92.35, &[]), 1);
        assert_eq!(d(94.96, &[]), 2);
        assert_eq!(d(94.996, &[]), 3);
        assert_eq!(d(95.0, &[]), 1);
        assert_eq!(d(59.95, &[]), 2);
        // Neighbours ranked apart never look equal; tied ones may.
        assert_eq!(d(92.634, &[93.5, 92.594]), 2);
        assert_eq!(d(92.6, &[92.6]), 1);
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        }
        let names: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
    }
}
