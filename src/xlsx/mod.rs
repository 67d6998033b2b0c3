//! Writing workbooks, for every output and the templates alike: byte-stable
//! files, text within Excel's limits, table rows and columns, print setup.

mod columns;
mod print;
mod table;
mod text;
mod trail;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

pub use columns::{Column, Columns};
pub use print::{print_setup, print_table};
pub use table::{
    Cell, Layout, SCORE_FORMAT, body_format, break_label, fitting_width, header_format, text_width, wrapped_lines,
    write_header, write_row, write_table_header, write_table_row,
};
pub use text::{MAX_CELL_TEXT, cell_text, header_text, merge_text, write_text};
pub use trail::{TREND, Trail, TrailRow, TrailTier};

/// A workbook whose bytes depend only on its content: fixed creation time.
pub fn new_workbook(title: &str) -> Workbook {
    let mut workbook = Workbook::new();
    let title = text::shortened(title, text::MAX_TITLE_TEXT);
    let mut properties = DocProperties::new().set_title(&*title).set_author("starsheet");
    if let Ok(fixed) = ExcelDateTime::from_ymd(2026, 1, 1) {
        properties = properties.set_creation_datetime(&fixed);
    }
    workbook.set_properties(&properties);
    // Outputs are a few kilobytes of repetitive XML: the fastest level
    // compresses them nearly as well and saves a sixth of the writing time.
    workbook.set_zip_compression_level(1);
    workbook
}

/// Fill of the cells a reader fills in (templates, 整改提升计划): light
/// yellow, seen on screen and as light grey on a black-and-white print.
pub const FILL_IN: u32 = 0xFFF2CC;
