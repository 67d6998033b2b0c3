//! Text within Excel's limits: a cell's 32,767 characters, a page header's
//! 255, cut with a visible note rather than failing a workbook.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Longest text a cell holds, in UTF-16 units as Excel counts them.
pub const MAX_CELL_TEXT: usize = 32_767;
/// Longest page header or footer, control codes included.
const MAX_HEADER_TEXT: usize = 255;
/// Longest document title written into a workbook's properties.
pub(super) const MAX_TITLE_TEXT: usize = 255;

/// Text as a cell can hold it: longer text is cut to Excel's limit and ends
/// with a visible note of its length, so one overlong entry in a form can
/// never stop a workbook from being written.
pub fn cell_text(text: &str) -> Cow<'_, str> {
    shortened(text, MAX_CELL_TEXT)
}

/// `text` cut to `limit` UTF-16 units, marked `…（已截断，原文 N 字）`.
pub(super) fn shortened(text: &str, limit: usize) -> Cow<'_, str> {
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
}
