//! Tables described by their columns: each column's header, width and how
//! a row's cell is made, kept together so they cannot drift apart.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::table::{Cell, Layout, write_table_header, write_table_row};

/// One column of a table of `R` rows.
pub struct Column<'a, R> {
    /// Header.
    pub label: String,
    /// Width in Excel's units.
    pub width: f64,
    /// Whether long text wraps onto more lines.
    pub wrap: bool,
    cell: Box<dyn Fn(&R) -> Cell + 'a>,
}

impl<'a, R> Column<'a, R> {
    /// A column whose text stays on one line.
    pub fn new(label: impl Into<String>, width: f64, cell: impl Fn(&R) -> Cell + 'a) -> Column<'a, R> {
        Column {
            label: label.into(),
            width,
            wrap: false,
            cell: Box::new(cell),
        }
    }

    /// The same column, its long text wrapping.
    pub fn wrapping(mut self) -> Column<'a, R> {
        self.wrap = true;
        self
    }
}

/// A table as the list of its columns.
pub struct Columns<'a, R>(pub Vec<Column<'a, R>>);

impl<'a, R> Columns<'a, R> {
    /// The headers.
    pub fn labels(&self) -> Vec<String> {
        self.0.iter().map(|c| c.label.clone()).collect()
    }

    /// Widths and wrapping.
    pub fn layout(&self) -> Layout {
        self.0.iter().fold(Layout::default(), |l, c| {
            if c.wrap { l.wrapping(c.width) } else { l.col(c.width) }
        })
    }

    /// The cells of one row.
    pub fn cells(&self, row: &R) -> Vec<Cell> {
        self.0.iter().map(|c| (c.cell)(row)).collect()
    }

    /// Writes the header row (see [`write_table_header`]).
    pub fn write_header(&self, ws: &mut Worksheet, at: u32, layout: &Layout) -> Result<(), XlsxError> {
        write_table_header(ws, at, &self.labels(), layout)
    }

    /// Writes one row (see [`write_table_row`]).
    pub fn write_row(
        &self,
        ws: &mut Worksheet,
        at: u32,
        row: &R,
        fill: Option<u32>,
        layout: &Layout,
    ) -> Result<(), XlsxError> {
        write_table_row(ws, at, &self.cells(row), fill, layout)
    }
}
