//! Tables of tiers round by round (历次星级, the members' year): who, then
//! the tier in each round in that tier's colour, then a sparkline of the
//! tiers (走势), then any closing columns.
//!
//! A sparkline plots numbers, so each row's tiers are also written as
//! numbers (the best tier highest) in hidden columns right of the table;
//! hidden columns never print.

use rust_xlsxwriter::{Color, FormatAlign, Sparkline, SparklineType, Worksheet, XlsxError};

use super::table::{Cell, Layout, body_format, write_table_header, write_table_row};
use super::text::cell_text;

/// A tier as a trail shows it: its name and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrailTier<'a> {
    /// The tier's name.
    pub name: &'a str,
    /// Its fill.
    pub rgb: u32,
    /// Its height in the sparkline: the best tier highest.
    pub height: f64,
}

/// One row: who, the tier in each round (`None`: not rated then), and the
/// closing cells.
pub struct TrailRow<'a> {
    /// Who: one cell per column of [`Trail::who`].
    pub who: Vec<Cell>,
    /// One per round.
    pub tiers: Vec<Option<TrailTier<'a>>>,
    /// One cell per column of [`Trail::after`].
    pub after: Vec<Cell>,
}

/// A table of tiers round by round.
pub struct Trail<'a> {
    /// Columns before the rounds: title, width, whether they wrap.
    pub who: Vec<(String, f64, bool)>,
    /// The rounds' titles, oldest first.
    pub rounds: Vec<String>,
    /// Columns after the sparkline.
    pub after: Vec<(String, f64, bool)>,
    /// The highest tier height, for one scale on every row.
    pub top: f64,
    /// The rows.
    pub rows: Vec<TrailRow<'a>>,
}

/// The sparkline column's title.
pub const TREND: &str = "走势";

impl Trail<'_> {
    /// The visible columns' layout.
    pub fn layout(&self) -> Layout {
        let add = |l: Layout, (_, width, wrap): &(String, f64, bool)| {
            if *wrap { l.wrapping(*width) } else { l.col(*width) }
        };
        let mut layout = self.who.iter().fold(Layout::default(), add);
        for _ in &self.rounds {
            layout = layout.wrapping(7.5);
        }
        layout = layout.col(14.0);
        self.after.iter().fold(layout, add)
    }

    /// Writes the table from row `at` (its header) down; the sheet's name
    /// is needed for the sparklines' data.
    pub fn write(&self, ws: &mut Worksheet, sheet: &str, at: u32) -> Result<Layout, XlsxError> {
        let layout = self.layout();
        let labels: Vec<String> = self
            .who
            .iter()
            .map(|c| c.0.clone())
            .chain(self.rounds.iter().cloned())
            .chain([TREND.to_string()])
            .chain(self.after.iter().map(|c| c.0.clone()))
            .collect();
        write_table_header(ws, at, &labels, &layout)?;
        let first_round = self.who.len() as u16;
        let trend = first_round + self.rounds.len() as u16;
        let hidden = labels.len() as u16;
        let centred = body_format().set_align(FormatAlign::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let r = at + 1 + i as u32;
            let cells: Vec<Cell> = row
                .who
                .iter()
                .cloned()
                .chain(row.tiers.iter().map(|t| Cell::opt(t.map(|t| t.name))))
                .chain([Cell::Empty])
                .chain(row.after.iter().cloned())
                .collect();
            write_table_row(ws, r, &cells, None, &layout)?;
            for (k, tier) in row.tiers.iter().enumerate() {
                let Some(tier) = tier else { continue };
                let col = first_round + k as u16;
                let format = centred.clone().set_background_color(Color::RGB(tier.rgb));
                ws.write_string_with_format(r, col, cell_text(tier.name), &format)?;
                ws.write_number(r, hidden + k as u16, tier.height)?;
            }
        }
        if !self.rows.is_empty() && !self.rounds.is_empty() {
            let last = at + self.rows.len() as u32;
            let data = (sheet, at + 1, hidden, last, hidden + self.rounds.len() as u16 - 1);
            // Columns rather than a line: a tier is a step, and bars still
            // read in a black-and-white print.
            let sparkline = Sparkline::new()
                .set_range(data)
                .set_type(SparklineType::Column)
                .show_hidden_data(true)
                .set_custom_min(0.0)
                .set_custom_max(self.top)
                .set_sparkline_color(Color::RGB(0x1F4E78));
            if self.rows.len() == 1 {
                ws.add_sparkline(last, trend, &sparkline)?;
            } else {
                ws.add_sparkline_group(at + 1, trend, last, trend, &sparkline)?;
            }
            for k in 0..self.rounds.len() as u16 {
                ws.set_column_hidden(hidden + k)?;
            }
        }
        layout.apply(ws)?;
        Ok(layout)
    }
}
