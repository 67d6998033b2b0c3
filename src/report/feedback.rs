//! 反馈/<所属党组织>/<支部名称>.xlsx: one workbook per rated branch, to send back.
//!
//! 评定结果 explains every point; 测评情况 shows ballot aggregates only; 整改提升计划
//! is pre-filled with the weakest items and leaves the rest for the branch, in a
//! protected sheet whose fill-in cells are unlocked.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::NO_PARENT;
use super::listed;
use super::members::{MemberRow, score_columns, tier_fill};
use super::total_decimals;
use crate::forms::{Identity, SheetRef, Stage};
use crate::grid::norm_label;
use crate::layout::{BRANCH_IDENTITY, BRANCH_SCORING, NUMBER, REGISTER, ROSTER, printed};
use crate::points::{fmt_percent, fmt_points, shown_decimals};
use crate::results::Evaluation;
use crate::results::{Assessment, BallotDetail, BallotStats, Change, IndicatorScore, MemberResult, Status};
use crate::scheme::{Scheme, Source};
use crate::xlsx::{
    Cell, Column, Columns, Layout, body_format, header_format, header_text, merge_text, new_workbook, wrapped_lines,
    write_header, write_row, write_table_row, write_text,
};

/// Folder of the feedback workbooks inside the output folder.
pub const FOLDER: &str = "反馈";

/// Sheet names, in workbook order.
pub const SHEETS: [&str; 3] = ["评定结果", "测评情况", "整改提升计划"];
/// The members sheet, added when the branch sent a roster.
pub const MEMBER_SHEET: &str = "党员星级";

/// How many weakest items the rectification plan is pre-filled with.
const WEAKEST: usize = 5;
/// Empty rows left for the branch's own items.
const SPARE_ROWS: u32 = 3;

/// One feedback workbook to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The branch it goes to.
    pub identity: Identity,
    /// Its result, an index into [`Evaluation::branches`]; `None` for a
    /// branch that only sent a member roster this round.
    pub branch: Option<usize>,
    /// Its path relative to the output folder.
    pub path: PathBuf,
    /// Its members, indices into [`Evaluation::members`].
    pub members: Vec<usize>,
}

impl Planned {
    /// The input the branch's result comes from, to name in messages.
    pub fn source_file(&self, eval: &Evaluation) -> String {
        let from_branch = self.branch.and_then(|i| eval.branches.get(i)).map(|r| &r.sources);
        let from_members = self
            .members
            .first()
            .and_then(|&i| eval.members.get(i))
            .map(|m| &m.assessment.sources);
        from_branch
            .or(from_members)
            .and_then(|sources| sources.first())
            .map(|s| s.file.to_string())
            .unwrap_or_default()
    }
}

/// The feedback workbooks of a run: one per rated branch (with its members
/// sheet when it sent a roster) or, in a members-only round, one per branch
/// with its members; none for pending branches.
pub fn plan(eval: &Evaluation) -> Vec<Planned> {
    let key = |id: &Identity| (id.parent_key(), id.name_key());
    // Members grouped by branch once, not searched per workbook.
    let mut members_of: BTreeMap<(Option<String>, String), Vec<usize>> = BTreeMap::new();
    for (i, m) in eval.members.iter().enumerate() {
        members_of.entry(key(&m.branch)).or_default().push(i);
    }
    let mut targets: Vec<(Identity, Option<usize>, Vec<SheetRef>)> = eval
        .branches
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == Status::Rated)
        .map(|(i, r)| (r.identity.clone(), Some(i), r.sources.clone()))
        .collect();
    // In a round without scoring forms (members only), each branch still gets
    // its members sheet; in a full round, a branch whose form is missing or
    // unreadable gets nothing until it is resolved.
    if eval.branches.is_empty() {
        for indices in members_of.values() {
            if let Some(m) = indices.first().and_then(|&i| eval.members.get(i)) {
                targets.push((Identity::clone(&m.branch), None, m.assessment.sources.clone()));
            }
        }
    }
    // Disambiguate in a fixed order, independent of the ranking.
    targets.sort_by(|a, b| (&a.0.parent, &a.0.name, &a.2).cmp(&(&b.0.parent, &b.0.name, &b.2)));
    let mut taken: BTreeMap<String, ()> = BTreeMap::new();
    let mut out = Vec::with_capacity(targets.len());
    for (identity, branch, _) in targets {
        let folder = safe_file_name(identity.parent.as_deref().unwrap_or(NO_PARENT));
        let stem = safe_file_name(&identity.name);
        let mut unique = stem.clone();
        // Windows folds case in file names: compare lower-case.
        let file_key = |unique: &str| format!("{folder}/{unique}").to_lowercase();
        let mut n = 1;
        while taken.contains_key(&file_key(&unique)) {
            n += 1;
            unique = format!("{stem}（{n}）");
        }
        taken.insert(file_key(&unique), ());
        let members = members_of.get(&key(&identity)).cloned().unwrap_or_default();
        let path = PathBuf::from(FOLDER).join(&folder).join(format!("{unique}.xlsx"));
        out.push(Planned {
            identity,
            branch,
            path,
            members,
        });
    }
    out
}

/// Longest file name stem written, in characters.
const MAX_NAME_CHARS: usize = 60;

/// A name usable as a file or folder name on Windows, macOS and Linux.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || r#"/\:*?"<>|"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut s = cleaned.trim().trim_matches('.').trim().to_string();
    while s.contains("..") {
        s = s.replace("..", ".");
    }
    let mut s: String = s.chars().take(MAX_NAME_CHARS).collect();
    let stem = s.split('.').next().unwrap_or_default().to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes().get(3).is_some_and(|b| b.is_ascii_digit()));
    if reserved {
        s.insert(0, '_');
    }
    if s.is_empty() { "未命名".to_string() } else { s }
}

/// Builds one branch's feedback workbook.
pub fn build(eval: &Evaluation, planned: &Planned) -> Result<Vec<u8>, XlsxError> {
    let name = &planned.identity.name;
    let round = eval.round_label();
    let mut wb = new_workbook(&format!("{name}{round}星级评定结果反馈"));
    if let Some(result) = planned.branch.and_then(|i| eval.branches.get(i)) {
        let listed = listed_for(eval, &planned.identity);
        results_sheet(&mut wb, (&eval.schemes.branch, &round), result, &listed)?;
        ballots_sheet(&mut wb, (&eval.schemes.branch, &round), result)?;
        plan_sheet(&mut wb, (&eval.schemes.branch, &round), result)?;
    }
    let members: Vec<&MemberResult> = planned.members.iter().filter_map(|&i| eval.members.get(i)).collect();
    if !members.is_empty() {
        members_sheet(&mut wb, (&eval.schemes.member, &round), name, &members)?;
    }
    wb.save_to_buffer()
}

/// What the rules over rounds list of the branch's party groups and
/// members, one sentence each.
fn listed_for(eval: &Evaluation, branch: &Identity) -> Vec<String> {
    let Some(h) = &eval.history else {
        return Vec::new();
    };
    let name = norm_label(&branch.name);
    let groups = h
        .groups
        .iter()
        .filter(|g| g.identity.parent.as_deref().is_some_and(|p| norm_label(p) == name))
        .map(|g| {
            format!(
                "党小组「{}」：{}，{}。",
                g.identity.name,
                listed::facts(g),
                listed::conclusion(g)
            )
        });
    let members = h
        .members
        .iter()
        .filter(|m| {
            m.identity.parent.as_deref().is_some_and(|p| norm_label(p) == name)
                && m.branch_parent.as_deref().map(norm_label) == branch.parent.as_deref().map(norm_label)
        })
        .map(|m| {
            format!(
                "党员{}：{}；{}。",
                m.identity.name,
                listed::facts(m),
                listed::conclusion(m)
            )
        });
    groups.chain(members).collect()
}

/// 党员星级: the branch's own members, for publication inside the branch.
fn members_sheet(
    wb: &mut Workbook,
    (scheme, round): (&Scheme, &str),
    branch: &str,
    members: &[&MemberResult],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(MEMBER_SHEET)?;
    let mut columns = vec![
        Column::new(NUMBER, 5.0, |(i, _): &MemberRow| Cell::Count(*i as u64 + 1)),
        Column::new(printed(ROSTER.name), 12.0, |(_, m): &MemberRow| {
            Cell::text(&m.assessment.identity.name)
        }),
    ];
    columns.extend(score_columns(scheme, 8.0, 8.0));
    let columns = Columns(columns);
    let last = (columns.0.len() - 1) as u16;
    title(ws, &format!("{branch}{round}{}结果（公示）", scheme.title), last)?;
    write_header(ws, 2, &columns.labels())?;
    for (i, m) in members.iter().enumerate() {
        write_row(ws, i as u32 + 3, &columns.cells(&(i, m)), tier_fill(scheme, m))?;
    }
    columns.layout().apply(ws)?;
    ws.set_repeat_rows(2, 2)?;
    print_setup(ws, (branch, round), MEMBER_SHEET);
    Ok(())
}

fn title(ws: &mut Worksheet, text: &str, last_col: u16) -> Result<(), XlsxError> {
    let format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    merge_text(ws, (0, 0), (0, last_col), text, &format)?;
    ws.set_row_height(0, 30)?;
    Ok(())
}

/// A4 portrait, fitted to the width, branch name (and round) in the header,
/// page numbers in the footer.
fn print_setup(ws: &mut Worksheet, (branch, round): (&str, &str), sheet: &str) {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    let right = if round.is_empty() {
        format!("&R{sheet}")
    } else {
        format!("&C{round}&R{sheet}")
    };
    ws.set_header(header_text("&L", branch, &right));
    ws.set_footer("&C第 &P 页，共 &N 页");
}

fn note(ws: &mut Worksheet, row: u32, last_col: u16, text: &str) -> Result<(), XlsxError> {
    let format = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_size(10);
    merge_text(ws, (row, 0), (row, last_col), text, &format)?;
    // Excel's tallest row is 409 points.
    let lines = text.chars().count() / 60 + 1;
    ws.set_row_height(row, (15 * lines + 3).min(409) as u16)?;
    Ok(())
}

/// The flags of a result, each explained in plain words.
pub fn explanations(scheme: &Scheme, r: &Assessment) -> Vec<String> {
    let mut out = Vec::new();
    // The veto's own items set the tier; a cap's items are told with the cap.
    let vetoed: Vec<&str> = r
        .vetoed
        .iter()
        .filter(|item| scheme.veto.items.contains(item))
        .map(String::as_str)
        .collect();
    if !vetoed.is_empty() {
        out.push(format!(
            "一票否决：{}，不论得分均评为{}。",
            vetoed.join("；"),
            scheme.tier(scheme.veto_tier()).name
        ));
    }
    for text in r.adjustment_texts(scheme) {
        out.push(format!("{text}。"));
    }
    if let Some(p) = &r.previous {
        let now = r.tier.map(|t| scheme.tier(t).name.clone());
        let text = match (p.change, &p.tier, now) {
            (Change::Up | Change::Down, Some(then), Some(now)) => Some(format!(
                "与上轮（{}）相比：由{then}{}为{now}。",
                p.round,
                if p.change == Change::Up { "升" } else { "降" }
            )),
            (Change::Same, Some(then), _) => Some(format!("与上轮（{}）相同，保持{then}。", p.round)),
            (Change::New, _, _) => Some(format!("上轮（{}）未参加评定，本轮为新参评。", p.round)),
            _ => None,
        };
        out.extend(text);
    }
    if r.flags.preliminary {
        out.push("预评：本表考核得分尚未填写，结果按支部自评分计算（荐星阶段），以考核组评定后的结果为准。".into());
    }
    for ind in r.indicators.iter().filter(|i| i.self_inflated) {
        out.push(format!(
            "自评偏高：「{}」自评 {} 分，考核得分 {} 分，高出该指标满分的 {}以上，请对照标准重新审视自评。",
            ind.name,
            fmt_points(ind.self_score.unwrap_or_default()),
            fmt_points(ind.score),
            fmt_percent(scheme.flags.self_inflation_share),
        ));
    }
    if r.flags.needs_review {
        let yixing = r
            .ballots
            .as_ref()
            .and_then(|b| b.detail.as_ref())
            .and_then(|d| d.yixing)
            .map(|y| scheme.tier(y).name.clone())
            .unwrap_or_default();
        out.push(format!(
            "需复核：群众测评推荐的星级（议星结果{yixing}）比评定星级低 {} 档及以上，请上级党组织复核。",
            scheme.ballot.review_gap
        ));
    }
    if r.flags.few_ballots {
        out.push(format!(
            "测评人数不足：有效测评票少于 {} 张，测评结果代表性较弱；为保护测评人匿名，不反馈满意率、分项统计和议星结果，群众评价仍按这些测评票计分。",
            scheme.ballot.min_valid
        ));
    } else if let Some(short) = r
        .ballots
        .as_ref()
        .and_then(|b| b.short_category(scheme.ballot.min_valid))
    {
        out.push(format!(
            "测评人数不足：「{}」的有效测评票少于 {} 张；为保护测评人匿名，不反馈满意率、分项统计和议星结果，群众评价仍按全部测评票计分。",
            short.name, scheme.ballot.min_valid
        ));
    }
    out
}

fn results_sheet(
    wb: &mut Workbook,
    (scheme, round): (&Scheme, &str),
    r: &Assessment,
    listed: &[String],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEETS[0])?;
    let name = &r.identity.name;
    title(ws, &format!("{name}{round}星级评定结果反馈"), 6)?;
    let parent = r.identity.parent.as_deref().unwrap_or(NO_PARENT);
    let stage = match r.stage {
        Some(Stage::Preliminary) => "荐星自评（预评）",
        _ => "定星（考核组评定）",
    };
    note(
        ws,
        1,
        6,
        &format!(
            "{}：{parent}　　评星方案：{}　　评定阶段：{stage}",
            printed(BRANCH_IDENTITY.parent),
            scheme.title
        ),
    )?;
    let [indicator, standard, max, self_score, assessed, reason] = BRANCH_SCORING.columns().map(printed);
    let preliminary = format!("计分（按{self_score}）");
    let score_label = if r.flags.preliminary {
        preliminary.as_str()
    } else {
        assessed
    };
    // Items and reasons wrap within the table, rows as tall as they need.
    let layout = Layout::default()
        .col(14.0)
        .wrapping(26.0)
        .col(7.0)
        .col(8.0)
        .col(12.0)
        .col(8.0)
        .wrapping(24.0);
    let labels = [indicator, standard, max, self_score, score_label, "失分", reason];
    write_header(ws, 3, &labels.map(String::from))?;
    let mut row = 4;
    for ind in &r.indicators {
        let first = row;
        match ind.source {
            Source::Ballot => {
                let by = if scheme.ballot.categories.is_empty() {
                    "由无记名测评票计算"
                } else {
                    "由无记名测评票按测评人类别加权计算"
                };
                let how = match satisfaction_text(r) {
                    Some(rate) => format!("{by}（{} {rate}）", super::satisfaction_title(scheme)),
                    // Why is in 说明 below (测评人数不足): the cell holds one line.
                    None => format!("{by}（满意率不公开）"),
                };
                let cells = [
                    Cell::text(&*ind.name),
                    Cell::text(how),
                    Cell::Score(ind.max),
                    Cell::Empty,
                    Cell::Score(ind.score),
                    Cell::Score(ind.max - ind.score),
                    Cell::Empty,
                ];
                write_table_row(ws, row, &cells, None, &layout)?;
                row += 1;
            }
            Source::Form => {
                for item in &ind.items {
                    let cells = [
                        Cell::text(&*ind.name),
                        Cell::text(&*item.name),
                        Cell::Score(item.max),
                        item.self_score.map_or(Cell::Empty, |v| Cell::Score(ind.sign(v))),
                        Cell::Score(ind.sign(item.score)),
                        Cell::Score(lost(ind, item.max, item.score)),
                        Cell::opt(item.reason.clone()),
                    ];
                    write_table_row(ws, row, &cells, None, &layout)?;
                    row += 1;
                }
            }
        }
        let medal = match (ind.negative, ind.medal.as_deref()) {
            (true, _) => format!("（减分项，最多扣 {} 分）", fmt_points(ind.max)),
            (false, Some(m)) => format!("（单项星：{m}）"),
            // A scheme without medals has nothing to say here.
            (false, None) if scheme.medals.is_empty() => String::new(),
            (false, None) => "（无单项星）".to_string(),
        };
        let cells = [
            Cell::text(&*ind.name),
            Cell::text(format!("小计{medal}")),
            Cell::Score(ind.max),
            ind.self_score.map_or(Cell::Empty, |v| Cell::Score(ind.sign(v))),
            Cell::Score(ind.signed()),
            Cell::Score(lost(ind, ind.max, ind.score)),
            Cell::Empty,
        ];
        write_row(ws, row, &cells, Some(0xF2F2F2))?;
        if row > first {
            merge_text(
                ws,
                (first, 0),
                (row, 0),
                &ind.name,
                &body_format().set_align(FormatAlign::Center),
            )?;
        }
        row += 1;
    }
    let (Some(total), Some(tier)) = (r.total, r.tier) else {
        return Ok(());
    };
    let t = scheme.tier(tier);
    let decimals = total_decimals(scheme, total, tier, r.tier_moved(), &[]);
    // Weighted parts: each part's sum and what it adds to the total.
    for part in &r.parts {
        write_row(
            ws,
            row,
            &[
                Cell::text(&*part.name),
                Cell::text(format!(
                    "合计 {}，按 {} 计入总分",
                    fmt_points(part.score),
                    fmt_percent(part.weight)
                )),
                Cell::Empty,
                Cell::Empty,
                Cell::Score(part.score * part.weight),
                Cell::Empty,
                Cell::Empty,
            ],
            Some(0xF2F2F2),
        )?;
        row += 1;
    }
    // A scheme without bonus points prints no 加分 row (not “最高 0 分”).
    if scheme.bonus.max > 0.0 {
        write_row(
            ws,
            row,
            &[
                Cell::text(&scheme.bonus.label),
                Cell::text(format!("最高 {} 分", fmt_points(scheme.bonus.max))),
                Cell::Empty,
                Cell::Empty,
                Cell::Score(r.bonus),
                Cell::Empty,
                Cell::Empty,
            ],
            None,
        )?;
        row += 1;
    }
    write_row(
        ws,
        row,
        &[
            Cell::text("总分"),
            Cell::text(format!("满分 {} 分", fmt_points(scheme.total_cap))),
            Cell::Empty,
            Cell::Empty,
            Cell::Points(total, decimals),
            Cell::Empty,
            Cell::Empty,
        ],
        None,
    )?;
    row += 2;
    let big = Format::new()
        .set_bold()
        .set_font_size(18)
        .set_background_color(Color::RGB(t.rgb()))
        .set_align(FormatAlign::Center);
    ws.write_string_with_format(row, 0, "评定星级", &header_format())?;
    merge_text(
        ws,
        (row, 1),
        (row, 6),
        format!("{}　{}", t.glyphs(), t.name).trim(),
        &big,
    )?;
    ws.set_row_height(row, 32)?;
    row += 1;
    if let Some(project) = scheme.project_for(tier) {
        ws.write_string_with_format(row, 0, "提升工程", &header_format())?;
        merge_text(
            ws,
            (row, 1),
            (row, 6),
            &format!("{}：{}", project.name, project.aim),
            &body_format(),
        )?;
        row += 1;
    }
    let mut explained = explanations(scheme, r);
    explained.extend(listed.iter().cloned());
    if !explained.is_empty() {
        row += 1;
        ws.write_string(row, 0, "说明")?;
        for text in explained {
            row += 1;
            note(ws, row, 6, &text)?;
        }
    }
    layout.apply(ws)?;
    ws.set_repeat_rows(3, 3)?;
    print_setup(ws, (name, round), SHEETS[0]);
    Ok(())
}

fn ballots_sheet(wb: &mut Workbook, (scheme, round): (&Scheme, &str), r: &Assessment) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEETS[1])?;
    let name = &r.identity.name;
    let ratings: Vec<String> = scheme.ballot.ratings.iter().map(|r| r.label.clone()).collect();
    let last_col = (ratings.len() + 3) as u16;
    title(ws, &format!("{name}{round}无记名民主测评情况"), last_col)?;
    let Some(stats) = &r.ballots else {
        note(ws, 2, last_col, "本次评定未收到该支部的测评票。")?;
        print_setup(ws, (name, round), SHEETS[1]);
        return Ok(());
    };
    let opt = |n: Option<u32>| n.map_or(Cell::Empty, |n| Cell::Count(n.into()));
    write_header(
        ws,
        2,
        &[
            printed(REGISTER.issued),
            printed(REGISTER.returned),
            "登记票数",
            printed(REGISTER.blank),
            "有效票",
            super::satisfaction_title(scheme),
            "议星结果",
        ]
        .map(String::from),
    )?;
    let detail = stats.detail.as_ref();
    let cells = [
        opt(stats.issued),
        opt(stats.returned),
        Cell::Count(stats.counted.into()),
        Cell::Count(stats.blank.into()),
        Cell::Count(stats.valid.into()),
        match detail {
            Some(d) => d.satisfaction.map_or(Cell::Empty, Cell::Percent),
            None => Cell::text("—"),
        },
        match detail {
            Some(d) => Cell::opt(d.yixing.map(|y| scheme.tier(y).name.clone())),
            None => Cell::text("—"),
        },
    ];
    write_row(ws, 3, &cells, None)?;
    let mut row = 5;
    if !stats.categories.is_empty() {
        row = categories(ws, row, last_col, stats)? + 2;
    }
    let Some(detail) = detail else {
        let text = format!(
            "{}有效测评票少于 {} 张，为保护测评人匿名，不反馈分项统计、满意率和议星结果。",
            stats
                .short_category(scheme.ballot.min_valid)
                .map_or(String::new(), |c| format!("「{}」的", c.name)),
            scheme.ballot.min_valid
        );
        note(ws, row, last_col, &text)?;
        print_setup(ws, (name, round), SHEETS[1]);
        return Ok(());
    };
    let mut labels = vec!["测评题目".to_string()];
    labels.extend(ratings.iter().cloned());
    labels.extend([REGISTER.over_vote, "未评", "满意率"].map(String::from));
    write_header(ws, row, &labels)?;
    row += 1;
    for q in &detail.questions {
        let mut cells = vec![Cell::text(&q.question)];
        cells.extend(q.counts.iter().map(|n| Cell::Count((*n).into())));
        cells.push(Cell::Count(q.over_votes.into()));
        cells.push(Cell::Count((q.abstentions + q.invalid).into()));
        let valid = q.valid(&scheme.ballot.ratings);
        let satisfied = q.satisfied(&scheme.ballot.ratings);
        cells.push(if valid > 0 {
            Cell::Percent(f64::from(satisfied) / f64::from(valid))
        } else {
            Cell::Empty
        });
        write_row(ws, row, &cells, None)?;
        row += 1;
    }
    row += 1;
    // A tally, or a register without 推荐星级: no table of zeros that reads
    // as if nobody recommended the branch.
    if detail.has_star_votes() {
        row = star_votes(ws, row, scheme, detail)?;
    } else {
        note(ws, row, last_col, "本次测评没有推荐星级，无议星结果。")?;
    }
    row += 2;
    note(ws, row, last_col, "本表只含汇总数，不含任何一张测评票的内容。")?;
    ballot_widths(ws, last_col)?;
    print_setup(ws, (name, round), SHEETS[1]);
    Ok(())
}

/// Column widths of 测评情况.
fn ballot_widths(ws: &mut Worksheet, last_col: u16) -> Result<(), XlsxError> {
    ws.set_column_width(0, 16)?;
    for c in 1..=last_col {
        ws.set_column_width(c, 9)?;
    }
    Ok(())
}

/// The voter categories table (类别, 权重, ballots, rate) and how they are
/// weighed; returns its last row.
fn categories(ws: &mut Worksheet, mut row: u32, last_col: u16, stats: &BallotStats) -> Result<u32, XlsxError> {
    // A withheld sheet ends after this table: its notes need the widths now.
    ballot_widths(ws, last_col)?;
    let labels = [printed(REGISTER.voter), "权重", "登记票数", "有效票", "满意率"].map(String::from);
    write_header(ws, row, &labels)?;
    for c in &stats.categories {
        row += 1;
        let cells = [
            Cell::text(&c.name),
            Cell::Points(c.weight, shown_decimals(c.weight)),
            Cell::Count(c.counted.into()),
            Cell::Count(c.valid.into()),
            match (stats.withheld(), c.satisfaction) {
                (true, _) => Cell::text("—"),
                (false, rate) => rate.map_or(Cell::Empty, Cell::Percent),
            },
        ];
        write_row(ws, row, &cells, None)?;
    }
    row += 1;
    note(
        ws,
        row,
        last_col,
        "群众评价和满意率按各类别分别计算，再按权重加权；没有有效票的类别不计，其余类别的权重按比例折算。",
    )?;
    Ok(row)
}

/// The 推荐星级 table: votes per tier and spoiled votes; returns its last row.
fn star_votes(ws: &mut Worksheet, mut row: u32, scheme: &Scheme, detail: &BallotDetail) -> Result<u32, XlsxError> {
    write_header(
        ws,
        row,
        &[printed(REGISTER.recommended).to_string(), "票数".to_string()],
    )?;
    row += 1;
    for (tier, votes) in scheme.tiers.iter().zip(&detail.stars) {
        write_row(
            ws,
            row,
            &[
                Cell::text(format!("{} {}", tier.name, tier.glyphs()).trim()),
                Cell::Count((*votes).into()),
            ],
            None,
        )?;
        row += 1;
    }
    write_row(
        ws,
        row,
        &[
            Cell::text(format!("{}（无效）", REGISTER.over_vote)),
            Cell::Count(detail.star_over_votes.into()),
        ],
        None,
    )?;
    Ok(row)
}

/// One row of the rectification plan: an item and the points it lost.
struct Weak {
    text: String,
    lost: f64,
    share: f64,
    order: usize,
}

/// Points lost: short of the maximum, or all a 减分项 deducted.
fn lost(ind: &IndicatorScore, max: f64, score: f64) -> f64 {
    if ind.negative { score } else { max - score }
}

/// The satisfaction rate as text; `None` when it is withheld.
fn satisfaction_text(r: &Assessment) -> Option<String> {
    let detail = r.ballots.as_ref()?.detail.as_ref()?;
    Some(detail.satisfaction.map(fmt_percent).unwrap_or_default())
}

/// Items with lost points, largest share of their maximum first.
fn weakest(r: &Assessment) -> Vec<Weak> {
    let mut out = Vec::new();
    for ind in &r.indicators {
        if ind.source == Source::Ballot {
            let lost = ind.max - ind.score;
            let rate = satisfaction_text(r)
                .map(|rate| format!("群众测评满意率 {rate}，"))
                .unwrap_or_default();
            out.push(Weak {
                text: format!("{}：{rate}失 {} 分", ind.name, fmt_points(lost)),
                lost,
                share: lost / ind.max,
                order: out.len(),
            });
            continue;
        }
        for item in &ind.items {
            let lost = lost(ind, item.max, item.score);
            let reason = item.reason.as_deref().map(|r| format!("（{r}）")).unwrap_or_default();
            out.push(Weak {
                text: format!("{}—{}：失 {} 分{reason}", ind.name, item.name, fmt_points(lost)),
                lost,
                share: lost / item.max,
                order: out.len(),
            });
        }
    }
    out.retain(|w| crate::points::snap(w.lost) > 0.0);
    out.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.order.cmp(&b.order)));
    out.truncate(WEAKEST);
    out
}

fn plan_sheet(wb: &mut Workbook, (scheme, round): (&Scheme, &str), r: &Assessment) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEETS[2])?;
    let name = &r.identity.name;
    title(ws, &format!("{name}{round}整改提升计划"), 5)?;
    let project = r
        .tier
        .and_then(|t| scheme.project_for(t))
        .map(|p| format!("（{}：{}）", p.name, p.aim))
        .unwrap_or_default();
    note(
        ws,
        1,
        5,
        &format!(
            "请针对下列问题逐项在浅黄色格中填写整改措施、责任人和完成时限{project}。前 {WEAKEST} 项为失分比例最大的考评内容，空行可补充其他问题。"
        ),
    )?;
    write_header(
        ws,
        3,
        &[NUMBER, "问题", "失分", "整改措施", "责任人", "完成时限"].map(String::from),
    )?;
    let open = body_format()
        .set_unlocked()
        .set_text_wrap()
        .set_background_color(Color::RGB(crate::xlsx::FILL_IN));
    let date = open.clone().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Center);
    let locked = body_format().set_text_wrap();
    let items = weakest(r);
    let mut row = 4;
    for (i, w) in items.iter().enumerate() {
        ws.write_number_with_format(row, 0, (i + 1) as f64, &locked)?;
        write_text(ws, row, 1, &w.text, &locked)?;
        // Room for the branch's answer, and for a long reason in the problem.
        let lines = wrapped_lines(&w.text, 40.0).max(2);
        ws.set_row_height(row, (13.5 * lines as f64 + 9.0).min(409.0))?;
        ws.write_number_with_format(row, 2, w.lost, &locked.clone().set_num_format("0.0#"))?;
        ws.write_blank(row, 3, &open)?;
        ws.write_blank(row, 4, &open)?;
        ws.write_blank(row, 5, &date)?;
        row += 1;
    }
    for _ in 0..SPARE_ROWS {
        ws.write_number_with_format(row, 0, f64::from(row - 3), &locked)?;
        ws.write_blank(row, 1, &open)?;
        ws.write_blank(row, 2, &open)?;
        ws.write_blank(row, 3, &open)?;
        ws.write_blank(row, 4, &open)?;
        ws.write_blank(row, 5, &date)?;
        ws.set_row_height(row, 36)?;
        row += 1;
    }
    let (from, to) = (
        ExcelDateTime::from_ymd(2000, 1, 1)?,
        ExcelDateTime::from_ymd(2099, 12, 31)?,
    );
    let validation = DataValidation::new()
        .allow_date(DataValidationRule::Between(from, to))
        .set_input_title("完成时限")?
        .set_input_message("请填写日期，例如 2026-12-31")?
        .set_error_title("日期格式不对")?
        .set_error_message("完成时限请填写日期，例如 2026-12-31。")?;
    ws.add_data_validation(4, 5, row - 1, 5, &validation)?;
    for (c, w) in [6, 40, 7, 32, 10, 12].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    // Protected without a password: labels and pre-filled problems stay as
    // sent, the fill-in cells (unlocked) take the branch's answers.
    ws.protect();
    ws.set_repeat_rows(3, 3)?;
    print_setup(ws, (name, round), SHEETS[2]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_everywhere() {
        assert_eq!(safe_file_name("税务局第一党支部"), "税务局第一党支部");
        assert_eq!(safe_file_name("../../etc/passwd"), "_._etc_passwd");
        assert_eq!(safe_file_name(r"a\b:c*d?e"), "a_b_c_d_e");
        assert_eq!(safe_file_name("  .hidden. "), "hidden");
        assert_eq!(safe_file_name("con"), "_con");
        assert_eq!(safe_file_name("COM3.党支部"), "_COM3.党支部");
        assert_eq!(safe_file_name("=HYPERLINK(\"x\")"), "=HYPERLINK(_x_)");
        assert_eq!(safe_file_name(""), "未命名");
        assert_eq!(safe_file_name(&"长".repeat(100)).chars().count(), MAX_NAME_CHARS);
    }
}
