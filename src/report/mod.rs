//! Outputs: one module per file written, plus the shared plumbing here —
//! byte-stable workbooks and a row writer for tables. Files are written by
//! [`crate::output`].

pub mod feedback;
pub mod json;
pub mod members;
pub mod public;
pub mod summary;
pub mod terminal;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::Evaluation;
use crate::forms::FormKind;
use crate::issue::BALLOT_FILE_PLACEHOLDER;
use crate::points::snap;
use crate::read::FileStatus;
use crate::scheme::{Scheme, TierId};
use crate::workbook::Format as FileFormat;

/// One line of the input manifest (文件清单) as every output writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestLine<'a> {
    /// Path relative to the inbox, or the placeholder for one-voter ballots.
    pub path: &'a str,
    /// Detected format.
    pub format: Option<FileFormat>,
    /// Kinds of form found, one per recognised sheet.
    pub forms: Vec<FormKind>,
    /// Branches the forms belong to.
    pub branches: Vec<String>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content.
    pub sha256: Option<&'a str>,
    /// Outcome.
    pub status: FileStatus,
}

/// The input manifest: every file read, in path order, then the one-voter
/// ballot files summed per branch — their names, sizes and hashes could
/// identify a voter, so none is listed on its own.
pub fn manifest(eval: &Evaluation) -> Vec<ManifestLine<'_>> {
    let mut lines = Vec::with_capacity(eval.files.len());
    let mut private: BTreeMap<Vec<String>, ManifestLine<'_>> = BTreeMap::new();
    for f in &eval.files {
        if !f.private {
            lines.push(ManifestLine {
                path: &f.path,
                format: f.format,
                forms: f.forms.clone(),
                branches: f.branches.clone(),
                size: f.size,
                sha256: f.sha256.as_deref(),
                status: f.status,
            });
            continue;
        }
        let line = private.entry(f.branches.clone()).or_insert_with(|| ManifestLine {
            path: BALLOT_FILE_PLACEHOLDER,
            format: None,
            forms: Vec::new(),
            branches: f.branches.clone(),
            size: 0,
            sha256: None,
            status: FileStatus::Read,
        });
        line.forms.extend(&f.forms);
        line.size += f.size;
        if f.status != FileStatus::Read {
            line.status = FileStatus::ReadWithErrors;
        }
    }
    lines.extend(private.into_values());
    lines
}

/// Longest text a cell holds, in UTF-16 units as Excel counts them.
pub const MAX_CELL_TEXT: usize = 32_767;
/// Longest page header or footer, control codes included.
const MAX_HEADER_TEXT: usize = 255;
/// Longest document title written into a workbook's properties.
const MAX_TITLE_TEXT: usize = 255;

/// Text as a cell can hold it: longer text is cut to Excel's limit and ends
/// with a visible note of its length, so one overlong entry in a form can
/// never stop a workbook from being written.
pub fn cell_text(text: &str) -> Cow<'_, str> {
    shortened(text, MAX_CELL_TEXT)
}

/// `text` cut to `limit` UTF-16 units, marked `…（已截断，原文 N 字）`.
fn shortened(text: &str, limit: usize) -> Cow<'_, str> {
    // Fast path: no text of fewer bytes than the limit can exceed it.
    if text.len() <= limit || text.encode_utf16().count() <= limit {
        return Cow::Borrowed(text);
    }
    let marker = format!("…（已截断，原文 {} 字）", fmt_count(text.chars().count()));
    let budget = limit.saturating_sub(marker.encode_utf16().count());
    let mut used = 0;
    let mut out: String = text
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= budget
        })
        .collect();
    out.push_str(&marker);
    Cow::Owned(out)
}

/// A count with thousands separators: 40,000.
fn fmt_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Writes text into a cell, cut to what a cell holds.
pub fn write_text(ws: &mut Worksheet, row: u32, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, cell_text(text), format)?;
    Ok(())
}

/// Merges a range holding text, cut to what a cell holds.
pub fn merge_text(
    ws: &mut Worksheet,
    (first_row, first_col): (u32, u16),
    (last_row, last_col): (u32, u16),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    ws.merge_range(first_row, first_col, last_row, last_col, &cell_text(text), format)?;
    Ok(())
}

/// A page header or footer: `before`, then `text` with `&` escaped (a lone
/// `&` starts a control code) and cut with `…` so that the whole fits
/// Excel's limit, then `after`.
pub fn header_text(before: &str, text: &str, after: &str) -> String {
    let fixed = before.encode_utf16().count() + after.encode_utf16().count();
    let escaped = text.replace('&', "&&");
    if fixed + escaped.encode_utf16().count() <= MAX_HEADER_TEXT {
        return format!("{before}{escaped}{after}");
    }
    let room = MAX_HEADER_TEXT.saturating_sub(fixed + 1);
    let mut used = 0;
    let mut middle = String::new();
    for c in text.chars() {
        let width = if c == '&' { 2 } else { c.len_utf16() };
        if used + width > room {
            break;
        }
        used += width;
        if c == '&' {
            middle.push_str("&&");
        } else {
            middle.push(c);
        }
    }
    format!("{before}{middle}…{after}")
}

/// A workbook whose bytes depend only on its content: fixed creation time.
pub fn new_workbook(title: &str) -> Workbook {
    let mut workbook = Workbook::new();
    let title = shortened(title, MAX_TITLE_TEXT);
    let mut properties = DocProperties::new().set_title(&*title).set_author("starsheet");
    if let Ok(fixed) = ExcelDateTime::from_ymd(2026, 1, 1) {
        properties = properties.set_creation_datetime(&fixed);
    }
    workbook.set_properties(&properties);
    // Outputs are a few kilobytes of repetitive XML: the fastest level
    // compresses them nearly as well and saves a sixth of the writing time.
    workbook.set_zip_compression_level(1);
    workbook
}

/// Fill of the cells a reader fills in (templates, 整改提升计划): light
/// yellow, seen on screen and as light grey on a black-and-white print.
pub const FILL_IN: u32 = 0xFFF2CC;

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
    /// A score with one or two decimals, as many as it has (18.0, 17.5, 14.06).
    Score(f64),
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
    write_cells(ws, row, cells, fill, None)
}

/// The cells of a row; text in a column marked in `wrap` wraps.
fn write_cells(
    ws: &mut Worksheet,
    row: u32,
    cells: &[Cell],
    fill: Option<u32>,
    wrap: Option<&[bool]>,
) -> Result<(), XlsxError> {
    let mut base = body_format();
    if let Some(rgb) = fill {
        base = base.set_background_color(Color::RGB(rgb));
    }
    let wrapped = base.clone().set_text_wrap();
    for (col, cell) in cells.iter().enumerate() {
        let wraps = wrap.and_then(|w| w.get(col)).copied().unwrap_or(false);
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        match cell {
            Cell::Text(t) => {
                let format = if wraps { &wrapped } else { &base };
                ws.write_string_with_format(row, col, cell_text(t), format)?
            }
            Cell::Points(v, decimals) => {
                let f = base
                    .clone()
                    .set_num_format(points_format(*decimals))
                    .set_align(FormatAlign::Right);
                ws.write_number_with_format(row, col, *v, &f)?
            }
            Cell::Count(n) => ws.write_number_with_format(row, col, *n as f64, &base.clone().set_num_format("0"))?,
            Cell::Percent(p) => ws.write_number_with_format(row, col, *p, &base.clone().set_num_format("0.0%"))?,
            Cell::Score(v) => ws.write_number_with_format(
                row,
                col,
                *v,
                &base.clone().set_num_format(SCORE_FORMAT).set_align(FormatAlign::Right),
            )?,
            Cell::Empty => ws.write_blank(row, col, &base)?,
        };
    }
    Ok(())
}

/// Scores everywhere: one decimal at least, two at most.
pub const SCORE_FORMAT: &str = "0.0#";

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

/// Writes a table's header row, as tall as its most wrapped label; a short
/// label too wide for its column is broken where a reader would break it.
pub fn write_table_header(ws: &mut Worksheet, row: u32, labels: &[String], layout: &Layout) -> Result<(), XlsxError> {
    // Bold text runs a little wider than the body's.
    let broken: Vec<String> = labels
        .iter()
        .zip(&layout.widths)
        .map(|(label, width)| break_label(label, width * 0.92))
        .collect();
    let lines = broken
        .iter()
        .zip(&layout.widths)
        .map(|(label, width)| wrapped_lines(label, width * 0.92))
        .max()
        .unwrap_or(1);
    ws.set_row_height(row, 13.5 * lines as f64 + 4.0)?;
    write_header(ws, row, &broken)
}

/// `班子建设` → `班子\n建设` when it does not fit on one line of `width`:
/// before a closing word (建设, 评价, 结果…), else in the middle.
pub fn break_label(label: &str, width: f64) -> String {
    const ENDINGS: [&str; 8] = ["建设", "评价", "结果", "名称", "排名", "业绩", "占比", "票数"];
    let chars: Vec<char> = label.chars().collect();
    if wrapped_lines(label, width) == 1 || chars.len() > 8 || label.contains('\n') {
        return label.to_string();
    }
    let fits = |head: &[char]| wrapped_lines(&head.iter().collect::<String>(), width) == 1;
    let at = ENDINGS
        .iter()
        .filter(|e| label.ends_with(*e) && chars.len() > e.chars().count())
        .map(|e| chars.len() - e.chars().count())
        .find(|&at| fits(&chars[..at]))
        .unwrap_or(chars.len().div_ceil(2));
    // An opening bracket starts the second line, not ends the first.
    let at = if chars.get(at - 1).is_some_and(|c| "（(【".contains(*c)) {
        at - 1
    } else {
        at
    };
    let (head, tail) = chars.split_at(at);
    format!(
        "{}\n{}",
        head.iter().collect::<String>(),
        tail.iter().collect::<String>()
    )
}

/// Writes a header row.
pub fn write_header(ws: &mut Worksheet, row: u32, labels: &[String]) -> Result<(), XlsxError> {
    let format = header_format();
    for (col, label) in labels.iter().enumerate() {
        ws.write_string_with_format(row, u16::try_from(col).unwrap_or(u16::MAX), label, &format)?;
    }
    Ok(())
}

/// The columns of an output table: widths in Excel's units (the width of a
/// digit in the default font), and which of them wrap long text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// Column widths.
    pub widths: Vec<f64>,
    /// Whether each column wraps its text.
    pub wrap: Vec<bool>,
}

impl Layout {
    /// A column of `width` whose text stays on one line.
    pub fn col(mut self, width: f64) -> Layout {
        self.widths.push(width);
        self.wrap.push(false);
        self
    }

    /// A column of `width` whose long text wraps onto more lines.
    pub fn wrapping(mut self, width: f64) -> Layout {
        self.widths.push(width);
        self.wrap.push(true);
        self
    }

    /// Sets the sheet's column widths.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), *w)?;
        }
        Ok(())
    }

    /// Width on paper at 100 %, in pixels at 96 dpi (how Excel sizes columns).
    fn pixels(&self, columns: std::ops::Range<usize>) -> f64 {
        self.widths
            .get(columns)
            .unwrap_or_default()
            .iter()
            .map(|w| 7.0 * w + 5.0)
            .sum()
    }
}

/// A column width that fits the widest of `texts` (at 10 pt), within bounds.
pub fn fitting_width<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let widest = texts.into_iter().map(text_width).fold(0.0, f64::max);
    (widest + 1.5).clamp(min, max).ceil()
}

/// Width of a text at 10 pt in Excel's column units (the width of a digit
/// at 11 pt): a Chinese character takes about two, a digit or letter a
/// little under one.
pub fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if is_wide(c) { 1.9 } else { 0.85 }).sum()
}

fn is_wide(c: char) -> bool {
    c >= '\u{2E80}' || ('\u{2600}'..='\u{27BF}').contains(&c)
}

/// Lines a text takes in a wrapping column of `width`.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let room = (width - 0.8).max(1.0);
    text.split('\n')
        .map(|line| ((text_width(line) / room).ceil() as usize).max(1))
        .sum()
}

/// Writes one table row laid out by `layout`: text in a wrapping column
/// wraps, and the row is made tall enough to show it all.
pub fn write_table_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[Cell],
    fill: Option<u32>,
    layout: &Layout,
) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .zip(layout.widths.iter().zip(&layout.wrap))
        .filter_map(|(cell, (width, wrap))| match cell {
            Cell::Text(t) if *wrap => Some(wrapped_lines(t, *width)),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    if lines > 1 {
        // Excel's tallest row is 409 points.
        ws.set_row_height(row, (13.5 * lines as f64 + 2.0).min(409.0))?;
    }
    write_cells(ws, row, cells, fill, Some(&layout.wrap))
}

/// A4 page, header rows repeated, the title in the page header, page
/// numbers in the footer, and a scale that keeps the tables' 10 pt text at
/// 7.5 pt or more: fitted to the page width when that is enough, otherwise
/// at 75 % over several pages side by side, the first `keep` columns
/// repeated on each and pages broken only before the columns in `breaks`
/// (all columns when empty).
pub fn print_table(
    ws: &mut Worksheet,
    title: &str,
    header_rows: u32,
    layout: &Layout,
    keep: usize,
    breaks: &[usize],
) -> Result<(), XlsxError> {
    const MARGIN: f64 = 0.4;
    const MIN_SCALE: f64 = 0.75;
    ws.set_paper_size(9);
    ws.set_margins(MARGIN, MARGIN, 0.6, 0.6, 0.3, 0.3);
    ws.set_repeat_rows(0, header_rows.saturating_sub(1))?;
    ws.set_header(header_text("&C&\"-,Bold\"", title, ""));
    ws.set_footer("&C第 &P 页，共 &N 页");
    let table = layout.pixels(0..layout.widths.len());
    let portrait = (8.27 - 2.0 * MARGIN) * 96.0;
    let landscape = (11.69 - 2.0 * MARGIN) * 96.0;
    if table <= portrait / MIN_SCALE && table * 1.25 < landscape {
        // Narrow enough to read upright.
        ws.set_print_fit_to_pages(1, 0);
        return Ok(());
    }
    ws.set_landscape();
    if table <= landscape / MIN_SCALE {
        ws.set_print_fit_to_pages(1, 0);
        return Ok(());
    }
    // Too wide for one page at a readable size: side by side pages.
    let scale = MIN_SCALE;
    ws.set_print_scale((scale * 100.0) as u16);
    if keep > 0 {
        ws.set_repeat_columns(0, u16::try_from(keep - 1).unwrap_or(0))?;
    }
    let room = landscape / scale - layout.pixels(0..keep);
    let end = layout.widths.len();
    let mut candidates: Vec<usize> = if breaks.is_empty() {
        (keep + 1..end).collect()
    } else {
        breaks.iter().copied().filter(|&b| b > keep && b < end).collect()
    };
    candidates.push(end);
    let mut page_breaks = Vec::new();
    let (mut start, mut last_fit) = (keep, None);
    for at in candidates {
        if layout.pixels(start..at) <= room {
            last_fit = Some(at);
            continue;
        }
        // Break at the last boundary that fitted; a block wider than a page
        // is left to the program's own breaks.
        let cut = last_fit.filter(|&c| c > start).unwrap_or(at);
        if cut < end {
            page_breaks.push(u32::try_from(cut).unwrap_or(u32::MAX));
        }
        start = cut;
        last_fit = (layout.pixels(start..at) <= room).then_some(at);
    }
    if !page_breaks.is_empty() {
        ws.set_vertical_page_breaks(&page_breaks)?;
    }
    Ok(())
}

/// Landscape A4, fitted to the page width, header rows repeated, page numbers.
pub fn print_setup(ws: &mut Worksheet, title: &str, repeat_rows: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, repeat_rows.saturating_sub(1))?;
    ws.set_header(header_text("&C&\"-,Bold\"", title, ""));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
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
    fn overlong_text_is_cut_to_the_limit_with_a_note() {
        let short = "支部名称";
        assert!(matches!(cell_text(short), Cow::Borrowed(_)));
        let long = "扣".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_TEXT);
        assert!(
            cut.ends_with("扣…（已截断，原文 40,000 字）"),
            "{}",
            &cut[cut.len() - 60..]
        );
        // Characters outside the basic plane count twice, as Excel counts them.
        let wide = "𠀀".repeat(20_000);
        assert!(cell_text(&wide).encode_utf16().count() <= MAX_CELL_TEXT);
        assert_eq!(fmt_count(1_234_567), "1,234,567");
    }

    #[test]
    fn page_headers_fit_excels_limit() {
        assert_eq!(header_text("&L", "甲&乙", "&R评定结果"), "&L甲&&乙&R评定结果");
        let header = header_text("&L", &"长".repeat(300), "&R评定结果");
        assert_eq!(header.encode_utf16().count(), 255);
        assert!(header.ends_with("长…&R评定结果"));
    }

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
}
