//! 汇总排名.xlsx: ranking by tier, ballot statistics, problems, inputs, scheme.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Color, Format, Workbook, Worksheet, XlsxError,
};

use super::ranked_decimals;
use crate::forms::layout::scoring_rows::VETO_SECTION;
use crate::forms::layout::{BRANCH_IDENTITY, GROUP_IDENTITY, IdentityLabels, NUMBER, REGISTER, printed};
use crate::forms::{FormKind, Identity};
use crate::issue::{Issue, Severity};
use crate::points::fmt_points;
use crate::results::Evaluation;
use crate::results::{Assessment, BallotStats, Eligibility, MissingForm, OrgStats, Status};
use crate::scheme::{Scheme, Source};
use crate::xlsx::{
    Cell, Layout, break_label, fitting_width, header_format, header_text, merge_text, new_workbook, print_setup,
    print_table, write_header, write_row, write_table_header, write_table_row, write_text,
};

/// Sheet names, in workbook order.
pub const SHEETS: [&str; 7] = [
    "总排名",
    "星级分布",
    "党组织统计",
    "测评统计",
    "问题清单",
    "文件清单",
    "评星方案",
];

/// The party-group ranking, added after 党组织统计 when party-group forms were read.
pub const GROUP_SHEET: &str = "党小组排名";

/// Label for a branch without a parent organisation.
pub const NO_PARENT: &str = "（未填写）";

/// Builds the workbook's bytes.
pub fn build(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook(&format!("汇总排名 — {}", eval.schemes.branch.title));
    let schemes = &eval.schemes;
    ranking(&mut wb, &schemes.branch, &eval.branches, SHEETS[0], &BRANCH_IDENTITY)?;
    let orgs = &eval.organisations;
    distribution(&mut wb, eval, orgs)?;
    organisations(&mut wb, eval, orgs)?;
    if !eval.groups.is_empty() {
        ranking(&mut wb, &schemes.group, &eval.groups, GROUP_SHEET, &GROUP_IDENTITY)?;
    }
    ballot_stats(&mut wb, eval)?;
    problems(&mut wb, eval)?;
    manifest(&mut wb, eval)?;
    scheme_sheet(&mut wb, eval)?;
    wb.save_to_buffer()
}

fn parent(id: &Identity) -> String {
    parent_name(id).to_string()
}

fn parent_name(id: &Identity) -> &str {
    id.parent.as_deref().unwrap_or(NO_PARENT)
}

/// A ranking sheet: rank, name, parent, indicator scores, total, tier, flags;
/// rows filled with the tier colour. Serves branches and party groups.
fn ranking(
    wb: &mut Workbook,
    scheme: &Scheme,
    results: &[Assessment],
    sheet: &str,
    who: &IdentityLabels,
) -> Result<(), XlsxError> {
    // Ranking, ballot, problem and file sheets run to a row per branch or
    // file: rows are written in order and streamed out, not held in memory.
    let ws = wb.add_worksheet_with_low_memory()?.set_name(sheet)?;
    let medals = !scheme.medals.is_empty();
    let stars = scheme.tiers.iter().any(|t| t.stars.is_some());
    let ballots = results.iter().any(|r| r.ballots.is_some());
    let veto = !scheme.veto.items.is_empty();
    let bonus = scheme.bonus.max > 0.0;
    // Each column: its header, its width, whether long text wraps. Widths
    // are kept narrow so that the table prints at a readable size.
    let mut columns: Vec<(String, f64, bool)> = vec![
        ("排名".into(), 5.0, false),
        ("组织内排名".into(), 6.0, false),
        (
            printed(who.name).into(),
            fitting_width(results.iter().map(|r| r.identity.name.as_str()), 12.0, 30.0),
            true,
        ),
        (
            printed(who.parent).into(),
            fitting_width(results.iter().map(|r| parent_name(&r.identity)), 10.0, 24.0),
            true,
        ),
    ];
    for ind in &scheme.indicators {
        columns.push((ind.name.to_string(), 6.0, false));
        if medals {
            columns.push(("单项星".into(), 5.0, false));
        }
    }
    if bonus {
        columns.push((scheme.bonus.label.clone(), 5.0, false));
    }
    columns.push(("总分".into(), 7.0, false));
    if stars {
        columns.push(("星级".into(), 10.0, false));
    }
    columns.push((if stars { "星级名称" } else { "等次" }.into(), 5.0, false));
    if ballots {
        columns.push(("议星结果".into(), 5.0, false));
        columns.push(("满意率".into(), 7.0, false));
    }
    if veto {
        columns.push((VETO_SECTION.into(), 14.0, true));
    }
    columns.push(("标记".into(), 16.0, true));
    let labels: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
    let layout = columns.iter().fold(
        Layout::default(),
        |l, (_, w, wrap)| {
            if *wrap { l.wrapping(*w) } else { l.col(*w) }
        },
    );
    write_table_header(ws, 0, &labels, &layout)?;
    let decimals = ranked_decimals(scheme, results);
    for (i, r) in results.iter().enumerate() {
        let mut cells = vec![
            r.rank.map_or(Cell::Empty, |n| Cell::Count(n.into())),
            r.parent_rank.map_or(Cell::Empty, |n| Cell::Count(n.into())),
            Cell::text(&r.identity.name),
            Cell::text(parent(&r.identity)),
        ];
        let (Status::Rated, Some(total), Some(tier)) = (r.status, r.total, r.tier) else {
            cells.resize(labels.len() - 1, Cell::Empty);
            let label = labels.iter().position(|l| l == "星级名称" || l == "等次").unwrap_or(4);
            cells[label] = Cell::text("待核实");
            let why = r
                .missing_form
                .as_ref()
                .map_or_else(|| "原因见问题清单".to_string(), MissingForm::label);
            cells.push(Cell::text(format!("{}（{why}）", r.flag_labels().join("、"))));
            write_table_row(ws, i as u32 + 1, &cells, None, &layout)?;
            continue;
        };
        for ind in &r.indicators {
            cells.push(Cell::Score(ind.score));
            if medals {
                cells.push(Cell::opt(ind.medal.as_deref()));
            }
        }
        let t = scheme.tier(tier);
        if bonus {
            cells.push(Cell::Score(r.bonus));
        }
        cells.push(Cell::Points(total, decimals[i]));
        if stars {
            cells.push(Cell::text(t.glyphs()));
        }
        cells.push(Cell::text(&t.name));
        if ballots {
            match r.ballots.as_ref().map(|b| b.detail.as_ref()) {
                Some(Some(d)) => {
                    cells.push(Cell::opt(d.yixing.map(|y| scheme.tier(y).name.clone())));
                    cells.push(d.satisfaction.map_or(Cell::Empty, Cell::Percent));
                }
                // Too few ballots to show them without exposing a voter.
                Some(None) => cells.extend([Cell::text("—"), Cell::text("—")]),
                None => cells.extend([Cell::Empty, Cell::Empty]),
            }
        }
        if veto {
            let text = if r.vetoed.is_empty() {
                "否".to_string()
            } else {
                format!("是：{}", r.vetoed.join("；"))
            };
            cells.push(Cell::text(text));
        }
        cells.push(Cell::text(r.flag_labels().join("、")));
        write_table_row(ws, i as u32 + 1, &cells, Some(t.rgb()), &layout)?;
    }
    ws.set_freeze_panes(1, 4)?;
    ws.autofilter(0, 0, results.len() as u32, (labels.len() - 1) as u16)?;
    layout.apply(ws)?;
    // The page header names the sheet; the group sheet's name says whom it ranks.
    let title = if sheet == GROUP_SHEET {
        sheet.to_string()
    } else {
        format!("{}　{sheet}", scheme.title)
    };
    print_table(ws, &title, 1, &layout, 4, &[])
}

fn org_name(s: &OrgStats) -> String {
    if s.overall {
        "全部".to_string()
    } else {
        s.parent.clone().unwrap_or_else(|| NO_PARENT.to_string())
    }
}

fn distribution(wb: &mut Workbook, eval: &Evaluation, orgs: &[OrgStats]) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    let ws = wb.add_worksheet().set_name(SHEETS[1])?;
    let mut labels = vec![printed(BRANCH_IDENTITY.parent).to_string()];
    labels.extend(scheme.tiers.iter().map(|t| t.name.clone()));
    labels.extend(["待核实", "合计"].map(String::from));
    write_header(ws, 0, &labels)?;
    for (i, org) in orgs.iter().enumerate() {
        let mut cells = vec![Cell::text(org_name(org))];
        cells.extend(org.tiers.iter().map(|n| Cell::Count((*n).into())));
        cells.push(Cell::Count(org.pending.into()));
        cells.push(Cell::Count(org.branches().into()));
        let fill = org.overall.then_some(0xF2F2F2);
        write_row(ws, i as u32 + 1, &cells, fill)?;
    }
    let tiers = scheme.tiers.len() as u16;
    let total_row = orgs.len() as u32;
    let fill = |rgb: u32| {
        let mut format = ChartFormat::new();
        format.set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(rgb)));
        format
    };

    // Overall: one column per tier, each in its tier's colour.
    let mut overall = Chart::new(ChartType::Column);
    let points: Vec<ChartPoint> = scheme
        .tiers
        .iter()
        .map(|t| ChartPoint::new().set_format(&mut fill(t.rgb())))
        .collect();
    overall
        .add_series()
        .set_categories((SHEETS[1], 0, 1, 0, tiers))
        .set_values((SHEETS[1], total_row, 1, total_row, tiers))
        .set_name("支部数")
        .set_points(&points);
    overall.title().set_name("全部支部星级分布");
    overall.legend().set_hidden();
    // Whole branches: avoid 0.5 steps on a short axis.
    let most = orgs.iter().flat_map(|o| o.tiers.iter().copied()).max().unwrap_or(0);
    if most <= 10 {
        overall.y_axis().set_major_unit(1.0);
    }
    overall.set_width(560).set_height(300);
    ws.insert_chart(total_row + 2, 0, &overall)?;

    // Per parent organisation: stacked columns, one series per tier.
    if orgs.len() > 2 {
        let mut stacked = Chart::new(ChartType::ColumnStacked);
        for (k, tier) in scheme.tiers.iter().enumerate() {
            let col = k as u16 + 1;
            stacked
                .add_series()
                .set_categories((SHEETS[1], 1, 0, total_row - 1, 0))
                .set_values((SHEETS[1], 1, col, total_row - 1, col))
                .set_name((SHEETS[1], 0, col))
                .set_format(&mut fill(tier.rgb()));
        }
        stacked.title().set_name("各党组织支部星级分布");
        let tallest = orgs.iter().filter(|o| !o.overall).map(|o| o.rated()).max().unwrap_or(0);
        if tallest <= 10 {
            stacked.y_axis().set_major_unit(1.0);
        }
        stacked.set_width(720).set_height(360);
        ws.insert_chart(total_row + 18, 0, &stacked)?;
    }
    ws.set_column_width(0, 24)?;
    for c in 1..labels.len() as u16 {
        ws.set_column_width(c, 8)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 1);
    ws.set_header(header_text(
        "&C&\"-,Bold\"",
        &format!("{}　{}", scheme.title, SHEETS[1]),
        "",
    ));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

fn organisations(wb: &mut Workbook, eval: &Evaluation, orgs: &[OrgStats]) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    let ws = wb.add_worksheet().set_name(SHEETS[2])?;
    let mut labels: Vec<String> = [printed(BRANCH_IDENTITY.parent), "支部数", "已评定", "待核实"]
        .map(String::from)
        .to_vec();
    for t in &scheme.tiers {
        labels.push(format!("{}数", t.name));
        labels.push(format!("{}占比", t.name));
    }
    let rule = scheme.excellence.as_ref();
    let bar = rule.and_then(|r| scheme.tier_by_name(&r.at_or_above));
    if let (Some(rule), Some(_)) = (rule, bar) {
        labels.push(format!("{}及以上数", rule.at_or_above));
        labels.push(format!("{}及以上占比", rule.at_or_above));
        labels.push(rule.label.clone());
    }
    write_header(ws, 0, &labels)?;
    for (i, org) in orgs.iter().enumerate() {
        let mut cells = vec![
            Cell::text(org_name(org)),
            Cell::Count(org.branches().into()),
            Cell::Count(org.rated().into()),
            Cell::Count(org.pending.into()),
        ];
        for n in &org.tiers {
            cells.push(Cell::Count((*n).into()));
            cells.push(org.share(*n).map_or(Cell::Empty, Cell::Percent));
        }
        let mut fill = org.overall.then_some(0xF2F2F2);
        if let (Some(_), Some(bar)) = (rule, bar) {
            let above = org.at_or_above(bar);
            cells.push(Cell::Count(above.into()));
            cells.push(org.share(above).map_or(Cell::Empty, Cell::Percent));
            let verdict = match org.eligibility {
                Some(Eligibility::Eligible) => {
                    fill = Some(0xC6EFCE);
                    "符合".to_string()
                }
                Some(Eligibility::Undecided) => {
                    fill = Some(0xFFEB9C);
                    format!("待定（{} 个支部待核实）", org.pending)
                }
                _ => "不符合".to_string(),
            };
            cells.push(Cell::text(verdict));
        }
        write_row(ws, i as u32 + 1, &cells, fill)?;
    }
    if let Some(rule) = rule {
        let text = format!(
            "{}条件：至少 {} 个{}支部，且{}及以上支部占全部支部（含待核实）的比例不低于 {}。\
             表中占比按已评定支部计算；有待核实支部时，结论可能随其结果变化，标为“待定”。",
            rule.label,
            rule.min_top,
            rule.top_tier,
            rule.at_or_above,
            crate::points::fmt_percent(rule.min_share)
        );
        let row = orgs.len() as u32 + 2;
        merge_text(
            ws,
            (row, 0),
            (row, labels.len() as u16 - 1),
            &text,
            &Format::new().set_text_wrap(),
        )?;
        ws.set_row_height(row, 32)?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_column_width(0, 24)?;
    for c in 1..labels.len() as u16 - 1 {
        ws.set_column_width(c, 7)?;
    }
    ws.set_column_width(labels.len() as u16 - 1, 22)?;
    ws.set_row_height(0, 30)?;
    print_setup(ws, &format!("{} 党组织统计", scheme.title), 1)
}

fn ballot_stats(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[3])?;
    let fixed = [
        printed(BRANCH_IDENTITY.name),
        printed(BRANCH_IDENTITY.parent),
        "评定情况",
        printed(REGISTER.issued),
        printed(REGISTER.returned),
        "登记票数",
        printed(REGISTER.blank),
        "有效票",
    ];
    let header = header_format();
    // Too wide for a page at any readable size: printed over pages side by
    // side, broken only between blocks, the branch name repeated on each.
    let mut layout = Layout::default()
        .wrapping(fitting_width(
            eval.branches.iter().map(|b| b.identity.name.as_str()),
            12.0,
            24.0,
        ))
        .wrapping(fitting_width(
            eval.branches.iter().map(|b| parent_name(&b.identity)),
            10.0,
            20.0,
        ))
        .wrapping(8.0);
    for _ in 3..fixed.len() {
        layout = layout.col(5.0);
    }
    let mut blocks = Vec::new();
    ws.set_row_height(0, 20)?;
    ws.set_row_height(1, 32)?;
    let mut col: u16 = 0;
    for label in fixed {
        let label = break_label(label, 4.6);
        ws.merge_range(0, col, 1, col, &label, &header)?;
        col += 1;
    }
    let mut second_row = Vec::new();
    for q in &scheme.ballot.questions {
        blocks.push(usize::from(col));
        let span: Vec<String> = scheme
            .ballot
            .ratings
            .iter()
            .map(|r| r.label.clone())
            .chain([REGISTER.over_vote, "未评"].map(String::from))
            .collect();
        merge_text(ws, (0, col), (0, col + span.len() as u16 - 1), q, &header)?;
        col += span.len() as u16;
        for _ in &span {
            layout = layout.col(5.0);
        }
        second_row.extend(span);
    }
    blocks.push(usize::from(col));
    ws.merge_range(0, col, 1, col, "满意率", &header)?;
    layout = layout.col(7.0);
    col += 1;
    let star_span: Vec<String> = scheme
        .tiers
        .iter()
        .map(|t| t.name.clone())
        .chain([REGISTER.over_vote.to_string()])
        .collect();
    ws.merge_range(
        0,
        col,
        0,
        col + star_span.len() as u16 - 1,
        printed(REGISTER.recommended),
        &header,
    )?;
    col += star_span.len() as u16;
    for _ in &star_span {
        layout = layout.col(5.0);
    }
    for label in ["议星结果", "评定星级", "需复核"] {
        ws.merge_range(0, col, 1, col, &break_label(label, 4.6), &header)?;
        layout = layout.col(5.0);
        col += 1;
    }
    let first_group = fixed.len() as u16;
    for (k, label) in second_row.iter().enumerate() {
        ws.write_string_with_format(1, first_group + k as u16, label, &header)?;
    }
    let star_first = first_group + second_row.len() as u16 + 1;
    for (k, label) in star_span.iter().enumerate() {
        ws.write_string_with_format(1, star_first + k as u16, label, &header)?;
    }

    let rows: Vec<(&Identity, &BallotStats, &str, &Assessment)> = eval
        .branches
        .iter()
        .filter_map(|b| {
            let state = match (&b.status, &b.missing_form) {
                (Status::Rated, _) => "已评定",
                (_, Some(MissingForm::NotReceived)) => "无评分表",
                (_, Some(MissingForm::Unreadable { .. })) => "评分表无法读取",
                _ => "待核实",
            };
            b.ballots.as_deref().map(|s| (&b.identity, s, state, b))
        })
        .collect();
    for (i, (id, stats, state, result)) in rows.iter().enumerate() {
        let opt = |n: Option<u32>| n.map_or(Cell::Empty, |n| Cell::Count(n.into()));
        let mut cells = vec![
            Cell::text(&id.name),
            Cell::text(parent(id)),
            Cell::text(*state),
            opt(stats.issued),
            opt(stats.returned),
            Cell::Count(stats.counted.into()),
            Cell::Count(stats.blank.into()),
            Cell::Count(stats.valid.into()),
        ];
        match &stats.detail {
            Some(d) => {
                for q in &d.questions {
                    cells.extend(q.counts.iter().map(|n| Cell::Count((*n).into())));
                    cells.push(Cell::Count(q.over_votes.into()));
                    cells.push(Cell::Count((q.abstentions + q.invalid).into()));
                }
                cells.push(d.satisfaction.map_or(Cell::Empty, Cell::Percent));
                cells.extend(d.stars.iter().map(|n| Cell::Count((*n).into())));
                cells.push(Cell::Count(d.star_over_votes.into()));
                cells.push(Cell::opt(d.yixing.map(|y| scheme.tier(y).name.clone())));
            }
            None => {
                cells.resize(star_first as usize + star_span.len(), Cell::Empty);
                cells.push(Cell::text("—"));
            }
        }
        cells.push(Cell::opt(result.tier.map(|t| scheme.tier(t).name.clone())));
        cells.push(Cell::text(if result.flags.needs_review { "需复核" } else { "" }));
        let row = i as u32 + 2;
        write_table_row(ws, row, &cells, None, &layout)?;
        if stats.withheld() {
            // Too few ballots: one note where the distributions would be.
            let text = format!(
                "有效票少于 {} 张，为保护测评人匿名，不列分项统计、满意率和推荐星级",
                scheme.ballot.min_valid
            );
            let last = star_first + star_span.len() as u16 - 1;
            ws.merge_range(row, first_group, row, last, &text, &crate::xlsx::body_format())?;
        }
    }
    ws.set_freeze_panes(2, 1)?;
    layout.apply(ws)?;
    print_table(
        ws,
        &format!("{}　测评统计（仅汇总数）", scheme.title),
        2,
        &layout,
        1,
        &blocks,
    )
}

fn problems(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[4])?;
    // Errors first, then warnings, then notes, each by file: what needs
    // fixing leads. Sorted as written, so a redacted ballot's place in the
    // list says nothing of its file.
    let mut listed: Vec<Issue> = eval.issues.iter().map(Issue::for_output).collect();
    listed.sort_by(|a, b| a.severity.cmp(&b.severity).then_with(|| a.report_order(b)));
    let layout = Layout::default()
        .col(5.0)
        .col(6.0)
        .wrapping(fitting_width(listed.iter().map(|i| i.file.as_str()), 16.0, 36.0))
        .wrapping(12.0)
        .col(6.0)
        .wrapping(60.0);
    let labels = [NUMBER, "严重程度", "文件", "工作表", "单元格", "说明"].map(String::from);
    write_table_header(ws, 0, &labels, &layout)?;
    for (i, issue) in listed.iter().enumerate() {
        let fill = match issue.severity {
            Severity::Error => Some(0xFFC7CE),
            Severity::Warning => Some(0xFFEB9C),
            Severity::Note => None,
        };
        let cells = [
            Cell::Count(i as u64 + 1),
            Cell::text(issue.severity.label()),
            Cell::text(&issue.file),
            Cell::opt(issue.sheet.clone()),
            Cell::opt(issue.cell.map(|c| c.to_string())),
            Cell::text(&issue.message),
        ];
        write_table_row(ws, i as u32 + 1, &cells, fill, &layout)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, eval.issues.len() as u32, 5)?;
    layout.apply(ws)?;
    print_table(ws, "问题清单", 1, &layout, 0, &[])
}

fn forms_label(kinds: &[FormKind]) -> String {
    let mut counts: BTreeMap<FormKind, usize> = BTreeMap::new();
    for k in kinds {
        *counts.entry(*k).or_default() += 1;
    }
    counts
        .iter()
        .map(|(k, n)| {
            if *n > 1 {
                format!("{}×{n}", k.label())
            } else {
                k.label().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn manifest(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[5])?;
    let lines = eval.manifest();
    let layout = Layout::default()
        .wrapping(fitting_width(
            lines
                .iter()
                .map(|l| l.path.as_ref())
                .chain(eval.skipped.iter().map(|s| s.rel.as_str())),
            16.0,
            40.0,
        ))
        .col(5.0)
        .wrapping(14.0)
        .wrapping(18.0)
        .col(7.0)
        // A SHA-256 is 64 digits: two lines of 32.
        .wrapping(31.0)
        .wrapping(8.0);
    let labels = ["文件", "格式", "识别结果", "支部", "大小（字节）", "SHA-256", "状态"].map(String::from);
    write_table_header(ws, 0, &labels, &layout)?;
    let mut row = 1;
    for line in lines {
        let cells = [
            Cell::text(line.path),
            Cell::opt(line.format.map(|x| x.name())),
            Cell::text(if line.forms.is_empty() {
                "未识别".to_string()
            } else {
                forms_label(&line.forms)
            }),
            Cell::text(line.branches.join("、")),
            Cell::Count(line.size),
            Cell::opt(line.sha256),
            Cell::text(line.status.label()),
        ];
        write_table_row(ws, row, &cells, None, &layout)?;
        row += 1;
    }
    for s in &eval.skipped {
        let cells = [
            Cell::text(&s.rel),
            Cell::Empty,
            Cell::text(s.problem.to_string()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text("已跳过"),
        ];
        write_table_row(ws, row, &cells, None, &layout)?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row - 1, 6)?;
    layout.apply(ws)?;
    print_table(ws, "文件清单", 1, &layout, 0, &[])
}

fn scheme_sheet(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    let ws: &mut Worksheet = wb.add_worksheet().set_name(SHEETS[6])?;
    // Section titles overflow to the right; wrapping would crush them into column A.
    let bold = Format::new().set_bold().set_font_size(11);
    let mut row = 0;
    let section = |ws: &mut Worksheet, row: &mut u32, title: &str, labels: &[&str]| -> Result<(), XlsxError> {
        *row += 1;
        write_text(ws, *row, 0, title, &bold)?;
        *row += 1;
        write_header(ws, *row, &labels.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
        *row += 1;
        Ok(())
    };
    write_text(
        ws,
        row,
        0,
        &format!("评星方案：{}（{}）", scheme.title, scheme.name),
        &bold,
    )?;
    row += 1;
    write_row(
        ws,
        row,
        &[
            Cell::text(format!("总分上限 {} 分", fmt_points(scheme.total_cap))),
            Cell::text(format!(
                "{}上限 {} 分",
                scheme.bonus.label,
                fmt_points(scheme.bonus.max)
            )),
        ],
        None,
    )?;
    section(
        ws,
        &mut row,
        "指标与考评内容",
        &["指标", "满分", "计分方式", "考评内容", "分值"],
    )?;
    for ind in &scheme.indicators {
        let how = match ind.source {
            Source::Form => "评分表",
            Source::Ballot => "测评票",
        };
        if ind.items.is_empty() {
            let cells = [
                Cell::text(&*ind.name),
                Cell::exact(ind.max),
                Cell::text(how),
                Cell::Empty,
                Cell::Empty,
            ];
            write_row(ws, row, &cells, None)?;
            row += 1;
        }
        for item in &ind.items {
            let cells = [
                Cell::text(&*ind.name),
                Cell::exact(ind.max),
                Cell::text(how),
                Cell::text(&*item.name),
                Cell::exact(item.max),
            ];
            write_row(ws, row, &cells, None)?;
            row += 1;
        }
    }
    section(
        ws,
        &mut row,
        "星级档次（下限含本数，总分不四舍五入直接比较）",
        &["档次", "星级", "总分下限", "提升工程", "工程目标"],
    )?;
    for (i, tier) in scheme.tiers.iter().enumerate() {
        let project = scheme.project_for(crate::scheme::TierId(i));
        let cells = [
            Cell::text(&tier.name),
            Cell::text(tier.glyphs()),
            match (tier.min, i.checked_sub(1).and_then(|p| scheme.tiers[p].min)) {
                (Some(min), _) => Cell::exact(min),
                (None, Some(above)) => Cell::text(format!("低于 {}", fmt_points(above))),
                (None, None) => Cell::Empty,
            },
            Cell::opt(project.map(|p| p.name.clone())),
            Cell::opt(project.map(|p| p.aim.clone())),
        ];
        write_row(ws, row, &cells, Some(tier.rgb()))?;
        row += 1;
    }
    section(ws, &mut row, "单项星（指标得分占满分的比例）", &["单项星", "比例下限"])?;
    for medal in &scheme.medals {
        write_row(ws, row, &[Cell::text(&*medal.name), Cell::Percent(medal.share)], None)?;
        row += 1;
    }
    section(
        ws,
        &mut row,
        &format!("一票否决（任一项为“是”即评为{}）", scheme.veto.tier),
        &["事项"],
    )?;
    for item in &scheme.veto.items {
        merge_text(ws, (row, 0), (row, 4), item, &crate::xlsx::body_format())?;
        row += 1;
    }
    section(ws, &mut row, "测评票评价等次", &["评价", "分值", "计入满意率"])?;
    for rating in &scheme.ballot.ratings {
        let cells = [
            Cell::text(&rating.label),
            Cell::Points(rating.value, 1),
            Cell::text(if rating.satisfied { "是" } else { "否" }),
        ];
        write_row(ws, row, &cells, None)?;
        row += 1;
    }
    for (c, w) in [18, 12, 12, 20, 20].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(header_text("&C&\"-,Bold\"", SHEETS[6], ""));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
