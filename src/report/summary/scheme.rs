//! 评星方案: the scheme the round was scored by, in full.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::SHEETS;
use crate::points::{fmt_percent, fmt_points, shown_decimals};
use crate::results::Evaluation;
use crate::scheme::{QuotaMode, QuotaScope, Source};
use crate::xlsx::{Cell, header_text, merge_text, write_header, write_row, write_text};

pub(super) fn scheme_sheet(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
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
        &format!("评星方案：{}（{}）{}", scheme.title, scheme.name, round_text(eval)),
        &bold,
    )?;
    row += 1;
    write_row(
        ws,
        row,
        &[
            Cell::text(format!("总分上限 {} 分", fmt_points(scheme.total_cap))),
            Cell::text(if scheme.bonus.max > 0.0 {
                let kinds: Vec<String> = scheme
                    .bonus
                    .items
                    .iter()
                    .map(|k| format!("{} {}", k.label, fmt_points(k.max)))
                    .collect();
                let kinds = if kinds.is_empty() {
                    String::new()
                } else {
                    format!("（其中 {}）", kinds.join("、"))
                };
                format!("{}上限 {} 分{kinds}", scheme.bonus.label, fmt_points(scheme.bonus.max))
            } else {
                "不设加分".to_string()
            }),
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
        let mut how = match ind.source {
            Source::Form => "评分表",
            Source::Ballot => "测评票",
        }
        .to_string();
        if ind.negative {
            how.push_str("，减分项");
        }
        if let Some(part) = scheme.parts.iter().find(|p| ind.part.as_ref() == Some(&p.name)) {
            how.push_str(&format!("，{}（按 {} 计入）", part.name, fmt_percent(part.weight)));
        }
        if ind.items.is_empty() {
            let cells = [
                Cell::text(&*ind.name),
                Cell::exact(ind.max),
                Cell::text(&how),
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
                Cell::text(&how),
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
        &[
            "档次",
            "星级",
            if scheme.tiers.iter().any(|t| t.rules_text().is_some()) {
                "评定条件"
            } else {
                "总分下限"
            },
            "提升工程",
            "工程目标",
        ],
    )?;
    for (i, tier) in scheme.tiers.iter().enumerate() {
        let project = scheme.project_for(crate::scheme::TierId(i));
        let cells = [
            Cell::text(&tier.name),
            Cell::text(tier.glyphs()),
            match (
                tier.min,
                tier.rules_text(),
                i.checked_sub(1).and_then(|p| scheme.tiers[p].min),
            ) {
                (Some(min), None, _) => Cell::exact(min),
                (Some(min), Some(rules), _) => Cell::text(format!("总分 {} 以上，且{rules}", fmt_points(min))),
                (None, Some(rules), _) => Cell::text(rules),
                (None, None, Some(above)) => Cell::text(format!("低于 {}", fmt_points(above))),
                (None, None, None) => Cell::Empty,
            },
            Cell::opt(project.map(|p| p.name.clone())),
            Cell::opt(project.map(|p| p.aim.clone())),
        ];
        write_row(ws, row, &cells, Some(tier.rgb()))?;
        row += 1;
    }
    // Sections a scheme has no rules for are left out.
    if !scheme.medals.is_empty() {
        section(ws, &mut row, "单项星（指标得分占满分的比例）", &["单项星", "比例下限"])?;
        for medal in &scheme.medals {
            write_row(ws, row, &[Cell::text(&*medal.name), Cell::Percent(medal.share)], None)?;
            row += 1;
        }
    }
    if !scheme.veto.items.is_empty() {
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
    }
    if !scheme.caps.is_empty() {
        section(ws, &mut row, "星级上限（符合其一即至多评为该档）", &["条件", "至多"])?;
        for cap in &scheme.caps {
            let when = match cap.satisfaction_below {
                Some(below) => format!("群众满意率低于 {}", fmt_percent(below)),
                None => format!("「{}」任一项为“是”", cap.items.join("」「")),
            };
            write_row(ws, row, &[Cell::text(when), Cell::text(cap.at_most.to_string())], None)?;
            row += 1;
        }
    }
    if !scheme.quotas.is_empty() {
        section(
            ws,
            &mut row,
            "名额（按参评数计，向下取整）",
            &["档次", "不超过", "范围", "超出时"],
        )?;
        for quota in &scheme.quotas {
            let cells = [
                Cell::text(quota.tier.to_string()),
                Cell::Percent(quota.share),
                Cell::text(match quota.per {
                    QuotaScope::All => "全部参评支部",
                    QuotaScope::Parent => "各党组织内",
                }),
                Cell::text(match quota.mode {
                    QuotaMode::Warn => "只作提示",
                    QuotaMode::Enforce => "按排名降一档（同分待定）",
                }),
            ];
            write_row(ws, row, &cells, None)?;
            row += 1;
        }
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
    // Which registered kinds of branch are not rated: told when a register was read.
    if eval.collection.is_some() && !scheme.roll.not_rated.is_empty() {
        section(ws, &mut row, "不参加支部星级评定的支部类型（支部名册）", &["支部类型"])?;
        for kind in &scheme.roll.not_rated {
            write_row(ws, row, &[Cell::text(kind)], None)?;
            row += 1;
        }
    }
    if !scheme.ballot.categories.is_empty() {
        section(
            ws,
            &mut row,
            "测评人类别（分别计算，按权重加权）",
            &["类别", "权重", "也写作"],
        )?;
        for category in &scheme.ballot.categories {
            let cells = [
                Cell::text(&category.name),
                Cell::Points(category.weight, shown_decimals(category.weight)),
                Cell::text(category.aliases.join("、")),
            ];
            write_row(ws, row, &cells, None)?;
            row += 1;
        }
    }
    // 计分方式 names parts and 减分项 where a scheme has them.
    let how_width = if scheme.indicators.iter().any(|i| i.negative || i.part.is_some()) {
        30
    } else {
        12
    };
    for (c, w) in [18, 12, how_width, 20, 20].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(header_text("&C&\"-,Bold\"", &eval.heading(SHEETS[6]), ""));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// `　　评定轮次：2026年度　　评定日期：2026年12月1日`, as far as the run gave them.
fn round_text(eval: &Evaluation) -> String {
    let Some(round) = eval.round else {
        return String::new();
    };
    let date = round.date.map(|d| format!("　　评定日期：{d}")).unwrap_or_default();
    format!("　　评定轮次：{}{date}", round.period)
}
