//! `starsheet check --explain 表.xlsx`: how one form was understood. A copy
//! of the form where every cell the reader used is coloured by the role it
//! was read as, and a first sheet, 读取说明, listing what each coloured cell
//! matched in the scheme and the problems found — so staff see at a glance
//! how their form was read and what to put in `[labels]`.
//!
//! Only a scoring form (and a sheet of its submission) is copied whole. Of
//! a ballot, a roster or a sheet not read, only the cells that were marked
//! (column titles, the branch's name) are copied: no ballot content leaves
//! the tool this way either.

// Reads an untrusted file: no panic may be reachable from its content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeSet;
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::forms::book::explain_book;
use crate::forms::marks::{Mark, Marked};
use crate::forms::{FormKind, Sheet, SheetOutcome};
use crate::grid::{Grid, Value};
use crate::issue::{CellRef, Issue, Problem};
use crate::read::read_bytes;
use crate::scheme::Schemes;
use crate::workbook::{self, Limits};
use crate::xlsx::{self, fitting_width, new_workbook, wrapped_lines, write_text};

/// The legend sheet's name.
pub const LEGEND_SHEET: &str = "读取说明";

/// What `--explain` found, for the terminal.
#[derive(Debug)]
pub struct Explained {
    /// Per sheet: its name and what it was read as.
    pub sheets: Vec<(String, String)>,
    /// The problems of the file, as `check` reports them.
    pub issues: Vec<Issue>,
    /// The workbook written.
    pub bytes: Vec<u8>,
}

/// Explains how `path` is read with `schemes`: the coloured copy's bytes,
/// what each sheet was read as, and the file's problems; `Err` when the
/// file cannot be opened at all (its problem says why).
pub fn explain(path: &Path, schemes: &Schemes, limits: &Limits) -> Result<Explained, Problem> {
    let (bytes, ext) = crate::read::load_one(path, limits)?;
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default();
    let book = workbook::open(&bytes, &ext, limits)?;
    let read: Vec<(&str, &Grid)> = book
        .sheets
        .iter()
        .filter_map(|s| Some((s.name.as_str(), s.grid.as_ref().ok()?)))
        .filter(|(_, g)| !g.is_empty())
        .collect();
    let views: Vec<Sheet> = read
        .iter()
        .map(|(name, grid)| Sheet {
            file: &file,
            name,
            file_stem: stem,
            grid,
            schemes,
        })
        .collect();
    let (outcomes, marks) = explain_book(&views);
    let issues: Vec<Issue> = read_bytes(&bytes, &file, &ext, schemes, limits)
        .issues
        .iter()
        .map(Issue::for_output)
        .collect();
    let sheets: Vec<(String, String)> = read
        .iter()
        .zip(&outcomes)
        .map(|((name, _), outcome)| (name.to_string(), read_as(outcome)))
        .collect();
    let written = write(&file, schemes, &read, (&outcomes, &marks), &issues)
        .map_err(|e| Problem::Internal { detail: e.to_string() })?;
    Ok(Explained {
        sheets,
        issues,
        bytes: written,
    })
}

/// What a sheet was read as, in words.
fn read_as(outcome: &SheetOutcome) -> String {
    let named: Vec<&str> = outcome
        .forms
        .iter()
        .filter_map(|f| f.identity())
        .map(|id| id.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    match (outcome.kind, named.as_slice()) {
        (None, _) => "未识别（没有读取）".to_string(),
        (Some(kind), []) => kind.label().to_string(),
        (Some(kind), [one]) => format!("{}（{one}）", kind.label()),
        (Some(kind), many) => format!("{}（{} 个支部）", kind.label(), many.len()),
    }
}

/// Whether a sheet is copied whole: a scoring form and the sheets of its
/// submission. Ballots, rosters and unread sheets show their marks only.
fn copied_whole(outcome: &SheetOutcome) -> bool {
    matches!(
        outcome.kind,
        Some(FormKind::Scoring | FormKind::Group | FormKind::Application)
    )
}

fn write(
    file: &str,
    schemes: &Schemes,
    sheets: &[(&str, &Grid)],
    (outcomes, marks): (&[SheetOutcome], &[Vec<Marked>]),
    issues: &[Issue],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook(&format!("{file} 读取说明"));
    let mut names: BTreeSet<String> = BTreeSet::new();
    names.insert(LEGEND_SHEET.to_string());
    let legend = wb.add_worksheet();
    legend.set_name(LEGEND_SHEET)?;
    let rows: Vec<SheetRead> = sheets
        .iter()
        .zip(outcomes)
        .zip(marks)
        .map(|(((name, grid), outcome), marks)| (*name, *grid, outcome, marks.as_slice()))
        .collect();
    write_legend(legend, file, schemes, &rows, issues)?;
    for (name, grid, outcome, marked) in &rows {
        let mut shown = (*name).to_string();
        let mut n = 2;
        while names.contains(&shown) {
            shown = format!("{name}（{n}）");
            n += 1;
        }
        names.insert(shown.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&shown)?;
        copy_sheet(ws, grid, marked, copied_whole(outcome))?;
        page_setup(ws, &format!("{file} › {name}"))?;
    }
    wb.save_to_buffer()
}

/// A sheet as read: its name, cells, outcome and marks.
type SheetRead<'a> = (&'a str, &'a Grid, &'a SheetOutcome, &'a [Marked]);

/// The legend: the file, what each sheet was read as, the colours, every
/// marked cell with what it matched, and the problems found.
fn write_legend(
    ws: &mut Worksheet,
    file: &str,
    schemes: &Schemes,
    sheets: &[SheetRead],
    issues: &[Issue],
) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border(FormatBorder::Thin);
    let body = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let mut row = 0;
    write_text(ws, row, 0, &format!("「{file}」是怎样读取的"), &title)?;
    row += 1;
    let scheme = &schemes.branch;
    write_text(
        ws,
        row,
        0,
        &format!(
            "评星方案：{}（{}）。着色的单元格是读取时用到的，颜色表示读作什么；没有颜色的未使用。",
            scheme.title, scheme.name
        ),
        &Format::new(),
    )?;
    row += 2;
    write_text(ws, row, 0, "工作表", &head)?;
    ws.merge_range(row, 1, row, 3, "读作", &head)?;
    row += 1;
    for (name, _, outcome, _) in sheets {
        write_text(ws, row, 0, name, &body)?;
        ws.merge_range(row, 1, row, 3, &xlsx::cell_text(&read_as(outcome)), &body)?;
        row += 1;
    }
    row += 1;
    let used: BTreeSet<Mark> = sheets
        .iter()
        .flat_map(|(_, _, _, m)| m.iter().map(|m| m.mark))
        .collect();
    for (c, h) in ["颜色", "读作"].iter().enumerate() {
        write_text(ws, row, c as u16, h, &head)?;
    }
    ws.merge_range(row, 1, row, 2, "读作", &head)?;
    row += 1;
    for mark in Mark::ALL.iter().filter(|m| used.contains(m)) {
        let swatch = body.clone().set_background_color(Color::RGB(mark.color()));
        write_text(ws, row, 0, "", &swatch)?;
        ws.merge_range(row, 1, row, 2, mark.label(), &body)?;
        row += 1;
    }
    row += 1;
    for (c, h) in ["工作表", "单元格", "内容", "读作", "对应"].iter().enumerate() {
        write_text(ws, row, c as u16, h, &head)?;
    }
    let table_head = row;
    row += 1;
    for (name, grid, _, marked) in sheets {
        // A block's other text is said once, by its colour.
        for m in marked.iter().filter(|m| m.mark != Mark::Content) {
            let swatch = body.clone().set_background_color(Color::RGB(m.mark.color()));
            // Marked cells are titles, names and scores: never a ballot's answer.
            let text = grid
                .get(m.cell.row, m.cell.col)
                .map(|c| shown(&c.value))
                .unwrap_or_default();
            let text: String = text.chars().take(40).collect();
            let cells = [
                (*name, &body),
                (&m.cell.to_string(), &body),
                (&text, &body),
                (m.mark.label(), &swatch),
                (&m.note, &body),
            ];
            let mut lines = 1;
            for (c, (value, format)) in cells.iter().enumerate() {
                write_text(ws, row, c as u16, value, format)?;
                lines = lines.max(wrapped_lines(value, LEGEND_WIDTHS.get(c).copied().unwrap_or(10.0)));
            }
            ws.set_row_height(row, 14.0 * lines as f64 + 2.0)?;
            row += 1;
        }
    }
    row += 1;
    if issues.is_empty() {
        write_text(ws, row, 0, "没有发现问题。", &Format::new())?;
    } else {
        for (c, h) in ["级别", "位置", "说明"].iter().enumerate() {
            write_text(ws, row, c as u16, h, &head)?;
        }
        row += 1;
        for issue in issues {
            write_text(ws, row, 0, issue.severity.label(), &body)?;
            write_text(ws, row, 1, &issue.location(), &body)?;
            ws.merge_range(row, 2, row, 4, &xlsx::cell_text(&issue.message), &body)?;
            let width: f64 = LEGEND_WIDTHS.iter().skip(2).sum();
            let lines = wrapped_lines(&issue.location(), 24.0).max(wrapped_lines(&issue.message, width));
            ws.set_row_height(row, 14.0 * lines as f64 + 2.0)?;
            row += 1;
        }
    }
    for (col, width) in LEGEND_WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    page_setup(ws, &format!("{file} 读取说明"))?;
    ws.set_repeat_rows(table_head, table_head)?;
    Ok(())
}

/// Widths of the legend's columns: sheet, cell, content, role, match.
const LEGEND_WIDTHS: [f64; 5] = [14.0, 22.0, 30.0, 24.0, 42.0];

/// Landscape A4, one page wide, the title at the top of each page.
fn page_setup(ws: &mut Worksheet, title: &str) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(xlsx::header_text("&C&\"-,Bold\"", title, ""));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Copies a sheet: every cell where it is copied whole, else only the
/// marked ones; each marked cell filled with its role's colour.
fn copy_sheet(ws: &mut Worksheet, grid: &Grid, marked: &[Marked], whole: bool) -> Result<(), XlsxError> {
    let plain = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF));
    let format_of = |cell: CellRef| match marked.iter().find(|m| m.cell == cell) {
        Some(m) => plain.clone().set_background_color(Color::RGB(m.mark.color())),
        None => plain.clone().set_font_color(Color::RGB(0x7F7F7F)),
    };
    let keep = |cell: CellRef| whole || marked.iter().any(|m| m.cell == cell);
    let mut widths: Vec<Vec<String>> = Vec::new();
    let mut merged_tops: BTreeSet<(u32, u32)> = BTreeSet::new();
    if whole {
        for region in grid.regions() {
            let (Ok(left), Ok(right)) = (u16::try_from(region.left), u16::try_from(region.right)) else {
                continue;
            };
            let top = CellRef::new(region.top, region.left);
            let text = grid
                .get(region.top, region.left)
                .map(|c| shown(&c.value))
                .unwrap_or_default();
            ws.merge_range(
                region.top,
                left,
                region.bottom,
                right,
                &xlsx::cell_text(&text),
                &format_of(top),
            )?;
            merged_tops.insert((region.top, region.left));
            // A label merged down one column sets that column's width.
            if left == right && (left as usize) < 60 {
                let slot = left as usize;
                if widths.len() <= slot {
                    widths.resize(slot + 1, Vec::new());
                }
                if let Some(w) = widths.get_mut(slot) {
                    w.push(text);
                }
            }
        }
    }
    for (row, cells) in grid.rows() {
        for (col, cell) in cells {
            let at = CellRef::new(row, *col);
            if cell.merged || !keep(at) || merged_tops.contains(&(row, *col)) {
                continue;
            }
            if whole
                && grid
                    .region_at(row, *col)
                    .is_some_and(|m| m.top != row || m.left != *col)
            {
                continue;
            }
            let Ok(c) = u16::try_from(*col) else { continue };
            let format = format_of(at);
            match &cell.value {
                Value::Number(n) => {
                    ws.write_number_with_format(row, c, *n, &format)?;
                }
                other => write_text(ws, row, c, &shown(other), &format)?,
            }
            let slot = *col as usize;
            if slot < 60 {
                if widths.len() <= slot {
                    widths.resize(slot + 1, Vec::new());
                }
                if let Some(w) = widths.get_mut(slot) {
                    w.push(shown(&cell.value));
                }
            }
        }
    }
    let widths: Vec<f64> = widths
        .iter()
        .map(|texts| fitting_width(texts.iter().map(String::as_str), 6.0, 30.0))
        .collect();
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    // Each row as tall as its wrapped text; merged cells keep the height.
    for (row, cells) in grid.rows() {
        let lines = cells
            .iter()
            .filter(|(c, cell)| !cell.merged && keep(CellRef::new(row, *c)) && grid.region_at(row, *c).is_none())
            .map(|(c, cell)| wrapped_lines(&shown(&cell.value), widths.get(*c as usize).copied().unwrap_or(8.43)))
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(row, 14.0 * lines.min(12) as f64 + 2.0)?;
        }
    }
    Ok(())
}

/// A value as text; a formula without its result shows as text, never as
/// a live formula.
fn shown(value: &Value) -> String {
    match value {
        Value::Formula(f) => format!("={f}"),
        other => other.to_string(),
    }
}
