//! 亮星公示.xlsx: the public star list, grouped by parent organisation.
//! Branch names and stars only — no scores.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::NO_PARENT;
use crate::results::Evaluation;
use crate::results::{Assessment, Status};
use crate::xlsx::{merge_text, new_workbook, wrapped_lines, write_text};

/// The sheet name.
pub const SHEET: &str = "亮星公示";

/// Builds the workbook's bytes.
pub fn build(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let scheme = &eval.schemes.branch;
    let title = format!("{}{}亮星公示", eval.round_label(), scheme.title);
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
    notice(ws, eval, row)?;
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

/// Under the list: the posting period and where objections go, then the
/// issuer and the date, as the scheme's `[notice]` and the round give them.
fn notice(ws: &mut Worksheet, eval: &Evaluation, mut row: u32) -> Result<(), XlsxError> {
    let notice = &eval.schemes.branch.notice;
    let date = eval.round.and_then(|r| r.date);
    let mut lines = Vec::new();
    match (notice.days, date) {
        (Some(days), Some(from)) => lines.push(format!(
            "公示期：{from}至{}（{days} 天）。",
            from.plus_days(days.saturating_sub(1))
        )),
        (Some(days), None) => lines.push(format!("公示期：{days} 天。")),
        _ => {}
    }
    if notice.days.is_some() || notice.contact.is_some() {
        let to = notice.issuer.as_deref().unwrap_or("发布单位");
        lines.push(format!("如有异议，请在公示期内向{to}反映。"));
    }
    if let Some(contact) = &notice.contact {
        lines.push(contact.clone());
    }
    let text = Format::new()
        .set_font_size(12)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let right = Format::new().set_font_size(14).set_align(FormatAlign::Right);
    if !lines.is_empty() {
        let body = lines.concat();
        merge_text(ws, (row, 0), (row, 2), &body, &text)?;
        ws.set_row_height(row, (18 * wrapped_lines(&body, 70.0)) as f64)?;
        row += 2;
    }
    for line in [notice.issuer.clone(), date.map(|d| d.to_string())]
        .into_iter()
        .flatten()
    {
        merge_text(ws, (row, 0), (row, 2), &line, &right)?;
        ws.set_row_height(row, 24)?;
        row += 1;
    }
    Ok(())
}
