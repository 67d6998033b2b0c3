//! 总排名 and 党小组排名: results ranked, rows in their tier's colour.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{parent, parent_name};
use crate::layout::scoring_rows::VETO_SECTION;
use crate::layout::{IdentityLabels, printed};
use crate::report::ranked_decimals;
use crate::results::{Assessment, Change, MissingForm, Status};
use crate::scheme::{Scheme, Tier};
use crate::xlsx::{Cell, Column, Columns, fitting_width, print_table};

/// One row of a ranking: a result, its display decimals, and its total
/// and tier when it was rated.
struct Row<'a> {
    result: &'a Assessment,
    decimals: usize,
    rated: Option<(f64, &'a Tier)>,
}

/// A ranking sheet: rank, name, parent, indicator scores, total, tier, flags;
/// rows filled with the tier colour. Serves branches and party groups.
pub(super) fn ranking(
    wb: &mut Workbook,
    scheme: &Scheme,
    results: &[Assessment],
    (sheet, heading): (&str, &str),
    who: &IdentityLabels,
) -> Result<(), XlsxError> {
    // Ranking, ballot, problem and file sheets run to a row per branch or
    // file: rows are written in order and streamed out, not held in memory.
    let ws = wb.add_worksheet_with_low_memory()?.set_name(sheet)?;
    let columns = columns(scheme, results, who);
    // Widths are kept narrow so that the table prints at a readable size.
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    let decimals = ranked_decimals(scheme, results);
    for (i, (result, decimals)) in results.iter().zip(decimals).enumerate() {
        let rated = match (result.status, result.total, result.tier) {
            (Status::Rated, Some(total), Some(tier)) => Some((total, scheme.tier(tier))),
            _ => None,
        };
        let row = Row {
            result,
            decimals,
            rated,
        };
        let fill = rated.map(|(_, t)| t.rgb());
        columns.write_row(ws, i as u32 + 1, &row, fill, &layout)?;
    }
    ws.set_freeze_panes(1, 4)?;
    ws.autofilter(0, 0, results.len() as u32, (columns.0.len() - 1) as u16)?;
    layout.apply(ws)?;
    print_table(ws, heading, 1, &layout, 4, &[])
}

/// The ranking's columns; those a scheme or round has no use for are left out.
fn columns<'a>(scheme: &'a Scheme, results: &'a [Assessment], who: &IdentityLabels) -> Columns<'a, Row<'a>> {
    let medals = !scheme.medals.is_empty();
    let stars = scheme.tiers.iter().any(|t| t.stars.is_some());
    let ballots = results.iter().any(|r| r.ballots.is_some());
    let count = |n: Option<u32>| n.map_or(Cell::Empty, |n| Cell::Count(n.into()));
    // A held-back result shows who it is, 待核实 and why; nothing else.
    let rated = |f: fn(&Row<'a>, f64, &'a Tier) -> Cell| {
        move |r: &Row<'a>| r.rated.map_or(Cell::Empty, |(total, tier)| f(r, total, tier))
    };
    let mut columns = vec![
        Column::new("排名", 5.0, move |r: &Row| count(r.result.rank)),
        Column::new("组织内排名", 6.0, move |r: &Row| count(r.result.parent_rank)),
        Column::new(
            printed(who.name),
            fitting_width(results.iter().map(|r| r.identity.name.as_str()), 12.0, 30.0),
            |r: &Row| Cell::text(&r.result.identity.name),
        )
        .wrapping(),
        Column::new(
            printed(who.parent),
            fitting_width(results.iter().map(|r| parent_name(&r.identity)), 10.0, 24.0),
            |r: &Row| Cell::text(parent(&r.result.identity)),
        )
        .wrapping(),
    ];
    for (k, ind) in scheme.indicators.iter().enumerate() {
        let indicator = move |r: &Row<'a>| r.result.indicators.get(k).filter(|_| r.rated.is_some());
        columns.push(Column::new(&*ind.name, 6.0, move |r: &Row| {
            indicator(r).map_or(Cell::Empty, |i| Cell::Score(i.signed()))
        }));
        if medals {
            columns.push(Column::new("单项星", 5.0, move |r: &Row| {
                Cell::opt(indicator(r).and_then(|i| i.medal.as_deref()))
            }));
        }
    }
    if scheme.bonus.max > 0.0 {
        columns.push(Column::new(
            &scheme.bonus.label,
            5.0,
            rated(|r, _, _| Cell::Score(r.result.bonus)),
        ));
    }
    columns.push(Column::new(
        "总分",
        7.0,
        rated(|r, total, _| Cell::Points(total, r.decimals)),
    ));
    if stars {
        columns.push(Column::new("星级", 10.0, rated(|_, _, tier| Cell::text(tier.glyphs()))));
    }
    columns.push(Column::new(
        if stars { "星级名称" } else { "等次" },
        5.0,
        |r: &Row| Cell::text(r.rated.map_or("待核实", |(_, tier)| tier.name.as_str())),
    ));
    // Compared with an archived round: the change and the tier then, in
    // one narrow column (the ranking must still print on one page's width).
    if results.iter().any(|r| r.previous.is_some()) {
        columns.push(
            Column::new("较上轮", 6.5, |r: &Row| {
                let Some(p) = &r.result.previous else {
                    return Cell::Empty;
                };
                let then = p.tier.as_deref().map(|t| format!("原{t}"));
                Cell::text(match (p.change, then) {
                    (Change::Up | Change::Down, Some(then)) => format!("{}\n{then}", p.change.label()),
                    (Change::Unclear, Some(then)) => then,
                    (change, _) => change.label().to_string(),
                })
            })
            .wrapping(),
        );
    }
    if ballots {
        // Too few ballots to show them without exposing a voter: a dash.
        let ballot = move |r: &Row<'a>| r.rated.and(r.result.ballots.as_ref()).map(|b| b.detail.as_ref());
        columns.push(Column::new("议星结果", 5.0, move |r: &Row| match ballot(r) {
            Some(Some(d)) => Cell::opt(d.yixing.map(|y| scheme.tier(y).name.clone())),
            Some(None) => Cell::text("—"),
            None => Cell::Empty,
        }));
        columns.push(Column::new("满意率", 7.0, move |r: &Row| match ballot(r) {
            Some(Some(d)) => d.satisfaction.map_or(Cell::Empty, Cell::Percent),
            Some(None) => Cell::text("—"),
            None => Cell::Empty,
        }));
    }
    if scheme.yes_no_items().next().is_some() {
        columns.push(
            Column::new(
                VETO_SECTION,
                14.0,
                rated(|r, _, _| {
                    Cell::text(if r.result.vetoed.is_empty() {
                        "否".to_string()
                    } else {
                        format!("是：{}", r.result.vetoed.join("；"))
                    })
                }),
            )
            .wrapping(),
        );
    }
    columns.push(
        Column::new("标记", 16.0, move |r: &Row| {
            let flags = r.result.flag_labels().join("、");
            match r.rated {
                Some(_) => {
                    // The rules that set the tier, after the flags.
                    let texts: Vec<String> = std::iter::once(flags)
                        .chain(r.result.adjustment_texts(scheme))
                        .filter(|t| !t.is_empty())
                        .collect();
                    Cell::text(texts.join("；"))
                }
                None => {
                    let why = r
                        .result
                        .missing_form
                        .as_ref()
                        .map_or_else(|| "原因见问题清单".to_string(), MissingForm::label);
                    Cell::text(format!("{flags}（{why}）"))
                }
            }
        })
        .wrapping(),
    );
    Columns(columns)
}
