//! 亮星公示.xlsx: the public star list, grouped by parent organisation.
//! Branch names and stars only — no scores.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, XlsxError};

use super::summary::NO_PARENT;
use crate::results::Evaluation;
use crate::results::{Assessment, Status};
use crate::xlsx::{merge_text, new_workbook, write_text};

/// The sheet name.
pub const SHEET: &str = "亮星公示";

/// Builds the workbook's bytes.
pub fn build(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let scheme = &eval.schemes.branch;
    let title = format!("{}亮星公示", scheme.title);
    let mut wb = new_workbook(&title);
    let ws = wb.add_worksheet().set_name(SHEET)?;
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(20)
        .set_align(FormatAlign::Center);
    let group = border
        .clone()
        .set_bold()
        .set_font_size(14)
        .set_background_color(Color::RGB(0xDDEBF7));
    let name_format = border.clone().set_font_size(14);
    let label_format = border.clone().set_font_size(14).set_align(FormatAlign::Center);

    merge_text(ws, (0, 0), (0, 2), &title, &title_format)?;
    ws.set_row_height(0, 40)?;
    let mut groups: BTreeMap<&str, Vec<&Assessment>> = BTreeMap::new();
    for r in eval.branches.iter().filter(|r| r.status == Status::Rated) {
        groups
            .entry(r.identity.parent.as_deref().unwrap_or(NO_PARENT))
            .or_default()
            .push(r);
    }
    let mut row = 2;
    for (parent, mut branches) in groups {
        branches.sort_by(|a, b| a.tier.cmp(&b.tier).then(a.identity.name.cmp(&b.identity.name)));
        merge_text(
            ws,
            (row, 0),
            (row, 2),
            &format!("{parent}（{} 个党支部）", branches.len()),
            &group,
        )?;
        ws.set_row_height(row, 26)?;
        row += 1;
        for r in branches {
            let Some(tier) = r.tier.map(|t| scheme.tier(t)) else {
                continue;
            };
            let stars = border
                .clone()
                .set_font_size(22)
                .set_font_color(Color::RGB(0xC00000))
                .set_align(FormatAlign::Center);
            write_text(ws, row, 0, &r.identity.name, &name_format)?;
            ws.write_string_with_format(row, 1, tier.glyphs(), &stars)?;
            let label = if r.flags.preliminary {
                format!("{}（预评）", tier.name)
            } else {
                tier.name.clone()
            };
            write_text(ws, row, 2, &label, &label_format)?;
            ws.set_row_height(row, 32)?;
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 26)?;
    ws.set_column_width(2, 16)?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    wb.save_to_buffer()
}
