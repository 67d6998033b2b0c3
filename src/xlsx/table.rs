//! Table rows and columns: one cell type for every output, widths sized to
//! content, wrapped text in rows as tall as it needs.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::cell_text;

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
    pub(super) fn pixels(&self, columns: std::ops::Range<usize>) -> f64 {
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

fn points_format(decimals: usize) -> String {
    if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals))
    }
}
