//! Print setup: A4, headers and page numbers, a scale that keeps text readable.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Layout, header_text};

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
