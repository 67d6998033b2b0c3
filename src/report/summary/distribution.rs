//! 星级分布: tier counts per parent organisation, with charts.

use rust_xlsxwriter::{Chart, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Color, Workbook, XlsxError};

use super::{SHEETS, org_name};
use crate::layout::{BRANCH_IDENTITY, printed};
use crate::results::Evaluation;
use crate::results::OrgStats;
use crate::xlsx::{Cell, header_text, write_header, write_row};

pub(super) fn distribution(wb: &mut Workbook, eval: &Evaluation, orgs: &[OrgStats]) -> Result<(), XlsxError> {
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
        &eval.heading(&format!("{}　{}", scheme.title, SHEETS[1])),
        "",
    ));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
