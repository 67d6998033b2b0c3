//! Blank forms for branches to fill in, generated from a scheme: scoring
//! form, ballot register, one-voter ballot and member roster.
//!
//! Labels are locked in a protected sheet (no password); fill-in cells are
//! unlocked and carry data validations, so what comes back reads cleanly.

use std::io;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, FormatBorder, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::forms::Identity;
use crate::layout::{
    self, BRANCH_SCORING, GROUP_SCORING, NOTE, NUMBER, REGISTER, ROLL, ROSTER, SINGLE_BALLOT, printed, scoring_rows,
};
use crate::output::write_atomic;
use crate::points::fmt_points;
use crate::scheme::{Scheme, Schemes, Source, Subject};
use crate::xlsx::{FILL_IN, new_workbook, wrapped_lines};

/// File names of the templates, in the order they are written.
pub const FILES: [&str; 6] = [
    "评分表.xlsx",
    "测评票登记表.xlsx",
    "测评票.xlsx",
    "党员星级评定表.xlsx",
    "党小组考评表.xlsx",
    "支部名册.xlsx",
];

/// The answers a yes/no cell offers.
const YES_NO: [&str; 2] = [printed(layout::YES), printed(layout::NO)];

/// Pre-numbered rows of a ballot register.
pub const REGISTER_ROWS: u32 = 60;
/// Rows of a member roster.
pub const ROSTER_ROWS: u32 = 40;

/// Writes all templates into `dir`; returns their paths.
pub fn write_all(schemes: &Schemes, dir: &Path) -> io::Result<Vec<PathBuf>> {
    let branch = &schemes.branch;
    let books = [
        scoring_form(branch),
        ballot_register(branch),
        single_ballot(branch),
        member_roster(&schemes.member),
        scoring_form(&schemes.group),
        branch_roll(branch, &[]),
    ];
    let mut written = Vec::new();
    for (name, book) in FILES.iter().zip(books) {
        let bytes = book.and_then(|mut wb| wb.save_to_buffer()).map_err(io::Error::other)?;
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Formats shared by every template.
struct Formats {
    title: Format,
    label: Format,
    header: Format,
    fixed: Format,
    fill: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_font_size(11);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            label: Format::new()
                .set_bold()
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            fixed: cell.clone().set_text_wrap(),
            fill: cell.set_unlocked().set_background_color(Color::RGB(FILL_IN)),
            note: Format::new()
                .set_text_wrap()
                .set_font_size(10)
                .set_align(FormatAlign::Top),
        }
    }
}

/// A `label：` over columns `label.0..=label.1`, then a fill-in cell over
/// the columns after it up to `last`.
fn field(ws: &mut Worksheet, f: &Formats, row: u32, label: (u16, u16), last: u16, text: &str) -> Result<(), XlsxError> {
    let text = format!("{text}：");
    if label.1 > label.0 {
        ws.merge_range(row, label.0, row, label.1, &text, &f.label)?;
    } else {
        ws.write_string_with_format(row, label.0, text, &f.label)?;
    }
    if last > label.1 + 1 {
        ws.merge_range(row, label.1 + 1, row, last, "", &f.fill)?;
    } else {
        ws.write_blank(row, label.1 + 1, &f.fill)?;
    }
    Ok(())
}

fn note(ws: &mut Worksheet, f: &Formats, row: u32, last: u16, text: &str) -> Result<(), XlsxError> {
    ws.merge_range(row, 0, row, last, text, &f.note)?;
    ws.set_row_height(row, 30)?;
    Ok(())
}

fn decimal(max: f64) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, max))
        .set_error_title("分数超出范围")?
        .set_error_message(format!("请填写 0 到 {} 之间的数字。", fmt_points(max)))
}

fn list(items: &[impl AsRef<str>], what: &str) -> Result<DataValidation, XlsxError> {
    let words: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    DataValidation::new()
        .allow_list_strings(&words)?
        .set_error_title("请从列表中选择")?
        .set_error_message(format!("{what}请填写：{}。", words.join("、")))
}

/// How a template's rows may change under its protection.
#[derive(Clone, Copy, PartialEq)]
enum Rows {
    /// As printed: the items of a scheme.
    Fixed,
    /// One per ballot or member: more may be inserted, spare ones deleted.
    Open,
}

/// Protection and print setup shared by every template.
fn finish(ws: &mut Worksheet, header_row: u32, landscape: bool, rows: Rows) -> Result<(), XlsxError> {
    match rows {
        Rows::Fixed => {
            ws.protect();
        }
        // A branch with more voters or members than rows inserts rows; the
        // list validations extend to rows inserted inside their range.
        Rows::Open => {
            ws.protect_with_options(&ProtectionOptions {
                insert_rows: true,
                delete_rows: true,
                format_rows: true,
                ..ProtectionOptions::default()
            });
        }
    }
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// First item row of the scoring form (Excel row 6).
pub const FORM_FIRST_ITEM: u32 = 5;

/// The scoring form: 序号 | 考评项目 | 考评内容 | 分值 | 自评分 | 考核得分 | 扣分原因.
pub fn scoring_form(scheme: &Scheme) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    // A party group's form names the group and its branch; a branch's names
    // the branch and its parent organisation.
    let layout = match scheme.subject {
        Subject::Group => &GROUP_SCORING,
        _ => &BRANCH_SCORING,
    };
    let mut wb = new_workbook(layout.title);
    let ws = wb.add_worksheet().set_name(layout.sheet)?;
    ws.merge_range(0, 0, 0, 6, layout.title, &f.title)?;
    ws.set_row_height(0, 28)?;
    field(ws, &f, 1, (0, 1), 3, printed(layout.identity.name))?;
    field(ws, &f, 1, (4, 5), 6, printed(layout.identity.parent))?;
    field(ws, &f, 2, (0, 1), 3, layout.extra_field)?;
    field(ws, &f, 2, (4, 5), 6, scoring_rows::DATE)?;
    let [indicator, standard, max, self_score, assessed, reason] = layout.columns().map(printed);
    let who = scheme.subject.label();
    note(
        ws,
        &f,
        3,
        6,
        &format!(
            "评星方案：{}。自评阶段由{who}填写{self_score}；考核阶段由考核组填写{assessed}和{reason}。\
             分数填数字，可有小数，不超过该项{max}。浅黄色格为填写处。{}",
            scheme.title,
            if scheme.indicators.iter().any(|i| i.negative) {
                "减分项填扣除的分数。"
            } else {
                ""
            }
        ),
    )?;
    let header = [NUMBER, indicator, standard, max, self_score, assessed, reason];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(4, c as u16, *h, &f.header)?;
    }
    let mut row = FORM_FIRST_ITEM;
    let mut seq = 0;
    let first_item = row;
    for ind in &scheme.indicators {
        let items = ind.scored_items();
        if ind.source == Source::Ballot {
            ws.write_blank(row, 0, &f.fixed)?;
            ws.write_string_with_format(row, 1, &*ind.name, &f.fixed)?;
            ws.write_string_with_format(row, 2, "由无记名测评票计算，本表不填", &f.fixed)?;
            ws.set_row_height(row, 28)?;
            ws.write_number_with_format(row, 3, ind.max, &f.fixed)?;
            for c in 4..7 {
                ws.write_blank(row, c, &f.fixed.clone().set_background_color(Color::RGB(0xEDEDED)))?;
            }
            row += 1;
            continue;
        }
        let start = row;
        for item in items.iter() {
            seq += 1;
            ws.write_number_with_format(row, 0, f64::from(seq), &f.fixed)?;
            ws.write_string_with_format(row, 1, &*ind.name, &f.fixed)?;
            ws.write_string_with_format(row, 2, &*item.name, &f.fixed)?;
            ws.write_number_with_format(row, 3, item.max, &f.fixed)?;
            ws.write_blank(row, 4, &f.fill)?;
            ws.write_blank(row, 5, &f.fill)?;
            ws.write_blank(row, 6, &f.fill)?;
            ws.add_data_validation(row, 4, row, 5, &decimal(item.max)?)?;
            row += 1;
        }
        if row - start > 1 {
            ws.merge_range(
                start,
                1,
                row - 1,
                1,
                &ind.name,
                &f.fixed.clone().set_align(FormatAlign::Center),
            )?;
        }
    }
    let bonus = &scheme.bonus;
    // A scheme without bonus points gets no row to fill one in.
    // One row, or one per kind of bonus, each with its own cap.
    let rows: Vec<(String, f64)> = match bonus.items.as_slice() {
        [] => vec![(
            format!("受上级党组织表彰等（最高 {} 分）", fmt_points(bonus.max)),
            bonus.max,
        )],
        kinds => kinds
            .iter()
            .map(|k| {
                let text = format!(
                    "{}（最高 {} 分，加分合计最高 {} 分）",
                    k.label,
                    fmt_points(k.max),
                    fmt_points(bonus.max)
                );
                (text, k.max)
            })
            .collect(),
    };
    for (text, max) in rows.into_iter().filter(|_| bonus.max > 0.0) {
        ws.write_blank(row, 0, &f.fixed)?;
        ws.write_string_with_format(row, 1, &bonus.label, &f.fixed)?;
        ws.write_string_with_format(row, 2, text, &f.fixed)?;
        ws.write_number_with_format(row, 3, max, &f.fixed)?;
        ws.set_row_height(row, 28)?;
        ws.write_blank(row, 4, &f.fill)?;
        ws.write_blank(row, 5, &f.fill)?;
        ws.write_blank(row, 6, &f.fill)?;
        ws.add_data_validation(row, 4, row, 5, &decimal(max)?)?;
        row += 1;
    }
    ws.write_blank(row, 0, &f.fixed)?;
    ws.write_string_with_format(row, 1, printed(scoring_rows::TOTAL), &f.fixed)?;
    ws.write_blank(row, 2, &f.fixed)?;
    ws.write_blank(row, 3, &f.fixed)?;
    // A plain sum is the total only where every row adds to it: with
    // 减分项 or weighted parts the total is left to the scoring.
    let adds_up = scheme.parts.is_empty() && !scheme.indicators.iter().any(|i| i.negative);
    for (c, letter) in [(4u16, 'E'), (5, 'F')] {
        if adds_up {
            let formula = Formula::new(format!("=SUM({letter}{}:{letter}{})", first_item + 1, row));
            ws.write_formula_with_format(row, c, formula, &f.fixed)?;
        } else {
            ws.write_blank(row, c, &f.fixed)?;
        }
    }
    ws.write_blank(row, 6, &f.fixed)?;
    row += 2;
    // The veto's items, then each cap's under its own heading: one
    // section the reader takes from its first 一票否决 row.
    let yes = printed(layout::YES);
    let groups = std::iter::once((format!("即评为{}", scheme.veto.tier), &scheme.veto.items)).chain(
        scheme
            .caps
            .iter()
            .map(|cap| (format!("至多评为{}", cap.at_most), &cap.items)),
    );
    let yes_no = list(&YES_NO, &format!("{}事项", scoring_rows::VETO_SECTION))?;
    // Conditions a tier requires, in a section of their own; each row says
    // which tiers need it (the reader finds the item inside the text).
    let conditions: Vec<String> = scheme
        .condition_items()
        .map(|item| {
            let tiers: Vec<&str> = scheme
                .tiers
                .iter()
                .filter(|t| t.requires.contains(item))
                .map(|t| t.name.as_str())
                .collect();
            format!("{item}（评为{}须为“{yes}”）", tiers.join("、"))
        })
        .collect();
    let groups = groups
        .map(|(effect, items)| {
            (
                format!("{}事项（任一项为“{yes}”{effect}）", scoring_rows::VETO_SECTION),
                items.clone(),
            )
        })
        .chain(std::iter::once((
            format!(
                "{}（填“{yes}”或“{}”）",
                scoring_rows::CONDITION_SECTION,
                printed(layout::NO)
            ),
            conditions,
        )));
    for (heading, items) in groups.filter(|(_, items)| !items.is_empty()) {
        ws.merge_range(row, 0, row, 3, &heading, &f.header)?;
        ws.write_string_with_format(row, 4, printed(scoring_rows::VETO_ANSWER), &f.header)?;
        row += 1;
        for item in &items {
            ws.merge_range(row, 0, row, 3, item, &f.fixed)?;
            ws.write_blank(row, 4, &f.fill)?;
            ws.add_data_validation(row, 4, row, 4, &yes_no)?;
            row += 1;
        }
    }
    row += 1;
    note(
        ws,
        &f,
        row,
        6,
        &format!("请勿修改{indicator}、{standard}和{max}；浅黄色格为填写处。"),
    )?;
    for (c, w) in [5, 14, 26, 6, 8, 8, 24].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    finish(ws, 4, false, Rows::Fixed)?;
    Ok(wb)
}

/// First ballot row of the register (Excel row 6).
pub const REGISTER_FIRST_ROW: u32 = 5;

/// The ballot register: one row per paper ballot, with a 测评人类别 column
/// in schemes that weigh voter categories.
pub fn ballot_register(scheme: &Scheme) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = new_workbook("无记名民主测评票登记表");
    let ws = wb.add_worksheet().set_name(REGISTER.sheet)?;
    let questions = &scheme.ballot.questions;
    let categories: Vec<&str> = scheme.ballot.categories.iter().map(|c| c.name.as_str()).collect();
    let first_question = 1 + u16::from(!categories.is_empty());
    let star_col = questions.len() as u16 + first_question;
    let note_col = star_col + 1;
    // The fields above the table reach column G, however few the questions.
    let last = note_col.max(6);
    ws.merge_range(0, 0, 0, last, REGISTER.title, &f.title)?;
    ws.set_row_height(0, 28)?;
    field(ws, &f, 1, (0, 1), 3, printed(layout::BRANCH_IDENTITY.name))?;
    field(ws, &f, 1, (4, 5), last, printed(layout::BRANCH_IDENTITY.parent))?;
    field(ws, &f, 2, (0, 1), 2, printed(REGISTER.issued))?;
    field(ws, &f, 2, (4, 5), 6, printed(REGISTER.returned))?;
    let whole = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(0, 100_000))
        .set_error_message("请填写票数（整数）。")?;
    ws.add_data_validation(2, 2, 2, 2, &whole)?;
    ws.add_data_validation(2, 6, 2, 6, &whole)?;
    let ratings: Vec<&str> = scheme.ballot.ratings.iter().map(|r| r.label.as_str()).collect();
    let tiers: Vec<&str> = scheme.tiers.iter().map(|t| t.name.as_str()).collect();
    let with_over_vote = |words: &[&str]| -> Vec<String> {
        words
            .iter()
            .map(|w| w.to_string())
            .chain([REGISTER.over_vote.to_string()])
            .collect()
    };
    let voter = printed(REGISTER.voter);
    let who = if categories.is_empty() {
        String::new()
    } else {
        format!("{voter}填“{}”之一；", categories.join("/"))
    };
    let how = format!(
        "每张收回的测评票登记一行（浅黄色格为填写处，行不够时可插入行）。{who}各项填“{}”之一，{recommended}填“{}”之一；一项选了两个及以上的填“{over_vote}”（该项无效），未选的留空；空白票在{NOTE}写“{blank}”。",
        ratings.join("/"),
        tiers.join("/"),
        recommended = printed(REGISTER.recommended),
        over_vote = REGISTER.over_vote,
        blank = printed(REGISTER.blank),
    );
    note(ws, &f, 3, last, &how)?;
    let widths: Vec<f64> = (0..=last)
        .map(|c| match c {
            0 => 6.0,
            c if c == note_col => 12.0,
            _ => 11.0,
        })
        .collect();
    let lines = wrapped_lines(&how, widths.iter().sum());
    if lines > 2 {
        ws.set_row_height(3, 15.0 * lines as f64)?;
    }
    // Long question titles wrap: the header row shows them whole.
    let header_lines = questions.iter().map(|q| wrapped_lines(q, 11.0)).max().unwrap_or(1);
    if header_lines > 1 {
        ws.set_row_height(4, 15.0 * header_lines as f64)?;
    }
    ws.write_string_with_format(4, 0, NUMBER, &f.header)?;
    if !categories.is_empty() {
        ws.write_string_with_format(4, 1, voter, &f.header)?;
    }
    for (k, q) in questions.iter().enumerate() {
        ws.write_string_with_format(4, k as u16 + first_question, q, &f.header)?;
    }
    ws.write_string_with_format(4, star_col, printed(REGISTER.recommended), &f.header)?;
    ws.write_string_with_format(4, note_col, NOTE, &f.header)?;
    let end = REGISTER_FIRST_ROW + REGISTER_ROWS - 1;
    for row in REGISTER_FIRST_ROW..=end {
        ws.write_number_with_format(row, 0, f64::from(row - REGISTER_FIRST_ROW + 1), &f.fixed)?;
        for c in 1..=note_col {
            ws.write_blank(row, c, &f.fill)?;
        }
    }
    if !categories.is_empty() {
        ws.add_data_validation(REGISTER_FIRST_ROW, 1, end, 1, &list(&categories, voter)?)?;
    }
    let rating_list = with_over_vote(&ratings);
    let tier_list = with_over_vote(&tiers);
    ws.add_data_validation(
        REGISTER_FIRST_ROW,
        first_question,
        end,
        star_col - 1,
        &list(&rating_list, "测评等次")?,
    )?;
    ws.add_data_validation(
        REGISTER_FIRST_ROW,
        star_col,
        end,
        star_col,
        &list(&tier_list, printed(REGISTER.recommended))?,
    )?;
    for (c, width) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    finish(ws, 4, false, Rows::Open)?;
    Ok(wb)
}

/// First question row of the one-voter ballot (Excel row 5).
pub const BALLOT_FIRST_QUESTION: u32 = 4;

/// The one-voter ballot: mark one cell per row.
pub fn single_ballot(scheme: &Scheme) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = new_workbook("无记名民主测评票");
    let ws = wb.add_worksheet().set_name(SINGLE_BALLOT.sheet)?;
    let ratings = &scheme.ballot.ratings;
    let categories: Vec<&str> = scheme.ballot.categories.iter().map(|c| c.name.as_str()).collect();
    let mut last = (scheme.tiers.len() as u16).max(ratings.len() as u16);
    if !categories.is_empty() {
        // Room for the name and, beside it, the voter category.
        last = last.max(7);
    }
    ws.merge_range(0, 0, 0, last, SINGLE_BALLOT.title, &f.title)?;
    ws.set_row_height(0, 28)?;
    if categories.is_empty() {
        field(ws, &f, 1, (0, 0), last, printed(layout::BRANCH_IDENTITY.name))?;
    } else {
        // The voter says what kind of voter, never who: a category is no name.
        field(ws, &f, 1, (0, 0), 3, printed(layout::BRANCH_IDENTITY.name))?;
        let voter = printed(REGISTER.voter);
        field(ws, &f, 1, (4, 5), last, voter)?;
        ws.add_data_validation(1, 6, 1, 6, &list(&categories, voter)?)?;
    }
    let recommended = printed(SINGLE_BALLOT.recommended);
    note(
        ws,
        &f,
        2,
        last,
        &format!(
            "请在每项评价对应的浅黄色格内打“✓”，每项只选一个；{recommended}只选一个。本票不记名，请勿填写本人{}。",
            printed(ROSTER.name)
        ),
    )?;
    ws.write_string_with_format(3, 0, printed(SINGLE_BALLOT.question), &f.header)?;
    for (k, r) in ratings.iter().enumerate() {
        ws.write_string_with_format(3, k as u16 + 1, &r.label, &f.header)?;
    }
    let mut row = BALLOT_FIRST_QUESTION;
    for q in &scheme.ballot.questions {
        ws.write_string_with_format(row, 0, q, &f.fixed)?;
        for k in 0..ratings.len() {
            ws.write_blank(row, k as u16 + 1, &f.fill.clone().set_align(FormatAlign::Center))?;
        }
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, recommended, &f.header)?;
    for (k, t) in scheme.tiers.iter().enumerate() {
        ws.write_string_with_format(row, k as u16 + 1, &t.name, &f.header)?;
        ws.write_blank(row + 1, k as u16 + 1, &f.fill.clone().set_align(FormatAlign::Center))?;
    }
    ws.write_string_with_format(row + 1, 0, "（打“✓”）", &f.fixed)?;
    ws.set_column_width(0, 16)?;
    for c in 1..=last {
        ws.set_column_width(c, 9)?;
    }
    finish(ws, 3, false, Rows::Fixed)?;
    Ok(wb)
}

/// First branch row of the branch register (Excel row 4).
pub const ROLL_FIRST_ROW: u32 = 3;
/// Empty rows of the branch register beyond those filled in.
pub const ROLL_ROWS: u32 = 200;

/// The branch register (支部名册) the office keeps: one row per branch,
/// `branches` filled in (the sample inbox's), then empty rows.
pub fn branch_roll(scheme: &Scheme, branches: &[Identity]) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = new_workbook(ROLL.title);
    let ws = wb.add_worksheet().set_name(ROLL.sheet)?;
    let id = &layout::BRANCH_IDENTITY;
    let header = [
        NUMBER,
        printed(id.name),
        printed(id.parent),
        printed(id.code),
        printed(ROLL.former),
        printed(ROLL.kind),
        printed(ROLL.members),
    ];
    let last = header.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, ROLL.title, &f.title)?;
    ws.set_row_height(0, 28)?;
    let not_rated = if scheme.roll.not_rated.is_empty() {
        String::new()
    } else {
        format!(
            "{}为“{}”的不参加支部星级评定，只报{}。",
            printed(ROLL.kind),
            scheme.roll.not_rated.join("”“"),
            printed(&[ROSTER.sheet])
        )
    };
    let how = format!(
        "本轮应参加评定的支部每个一行，评定时用 --register 指定本表（或放进收件箱）即可列出未提交的支部。{former}填改名前的名称，多个用“、”分隔。{not_rated}",
        former = printed(ROLL.former),
    );
    note(ws, &f, 1, last, &how)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.header)?;
    }
    let end = ROLL_FIRST_ROW + branches.len() as u32 + ROLL_ROWS - 1;
    for row in ROLL_FIRST_ROW..=end {
        ws.write_number_with_format(row, 0, f64::from(row - ROLL_FIRST_ROW + 1), &f.fixed)?;
        for c in 1..=last {
            ws.write_blank(row, c, &f.fill)?;
        }
    }
    for (row, b) in (ROLL_FIRST_ROW..).zip(branches) {
        ws.write_string_with_format(row, 1, &b.name, &f.fill)?;
        ws.write_string_with_format(row, 2, b.parent.as_deref().unwrap_or_default(), &f.fill)?;
        if let Some(code) = &b.code {
            ws.write_string_with_format(row, 3, code, &f.fill)?;
        }
    }
    let whole = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(0, 100_000))
        .set_error_message("请填写党员人数（整数）。")?;
    ws.add_data_validation(ROLL_FIRST_ROW, last, end, last, &whole)?;
    for (c, w) in [6, 30, 24, 12, 24, 14, 8].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    finish(ws, 2, false, Rows::Open)?;
    Ok(wb)
}

/// First member row of the roster (Excel row 6).
pub const ROSTER_FIRST_ROW: u32 = 5;

/// The member roster: 姓名, aspects, 加分, totals, 不予评星, 备注.
pub fn member_roster(member: &Scheme) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = new_workbook("党员星级评定表");
    let ws = wb.add_worksheet().set_name(ROSTER.sheet)?;
    let aspects = &member.indicators;
    let bonus_col = aspects.len() as u16 + 2;
    let veto_col = bonus_col + 3;
    let last = veto_col + 1;
    ws.merge_range(0, 0, 0, last, &format!("{}表", member.title), &f.title)?;
    ws.set_row_height(0, 28)?;
    field(ws, &f, 1, (0, 1), 6, printed(layout::BRANCH_IDENTITY.name))?;
    field(ws, &f, 1, (7, 8), last, printed(layout::BRANCH_IDENTITY.parent))?;
    field(ws, &f, 2, (0, 1), 6, ROSTER.period)?;
    let per_aspect: Vec<String> = aspects
        .iter()
        .map(|a| format!("{}{}分", a.name, fmt_points(a.max)))
        .collect();
    note(
        ws,
        &f,
        3,
        last,
        &format!(
            "{}；{}最高 {} 分，总分不超过 {} 分。严重违纪违法等{veto}的，在“{veto}”列填“{yes}”。浅黄色格为填写处，行不够时可插入行。",
            per_aspect.join("、"),
            member.bonus.label,
            fmt_points(member.bonus.max),
            fmt_points(member.total_cap),
            veto = printed(ROSTER.veto),
            yes = printed(layout::YES),
        ),
    )?;
    let mut header: Vec<String> = vec![NUMBER.into(), printed(ROSTER.name).into()];
    header.extend(aspects.iter().map(|a| a.name.to_string()));
    header.extend([
        member.bonus.label.clone(),
        ROSTER.self_total.into(),
        printed(ROSTER.joint_total).into(),
        printed(ROSTER.veto).into(),
        NOTE.into(),
    ]);
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(4, c as u16, h, &f.header)?;
    }
    let end = ROSTER_FIRST_ROW + ROSTER_ROWS - 1;
    for row in ROSTER_FIRST_ROW..=end {
        ws.write_number_with_format(row, 0, f64::from(row - ROSTER_FIRST_ROW + 1), &f.fixed)?;
        for c in 1..=last {
            ws.write_blank(row, c, &f.fill)?;
        }
    }
    for (k, aspect) in aspects.iter().enumerate() {
        ws.add_data_validation(ROSTER_FIRST_ROW, k as u16 + 2, end, k as u16 + 2, &decimal(aspect.max)?)?;
    }
    ws.add_data_validation(ROSTER_FIRST_ROW, bonus_col, end, bonus_col, &decimal(member.bonus.max)?)?;
    let totals = decimal(member.total_cap + member.bonus.max)?;
    ws.add_data_validation(ROSTER_FIRST_ROW, bonus_col + 1, end, bonus_col + 2, &totals)?;
    let veto = list(&YES_NO, printed(ROSTER.veto))?.set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(ROSTER_FIRST_ROW, veto_col, end, veto_col, &veto)?;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 10)?;
    for c in 2..last {
        ws.set_column_width(c, 8)?;
    }
    ws.set_column_width(last, 16)?;
    finish(ws, 4, true, Rows::Open)?;
    Ok(wb)
}
