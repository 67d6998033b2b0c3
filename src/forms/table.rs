//! Finding a table's header row by its labels, in any column order.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use crate::grid::{Grid, norm_label};

/// A column a reader looks for.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// Normalised labels that name the column, preferred first.
    pub synonyms: Vec<String>,
    /// Also accept a header cell that merely contains a synonym.
    pub contains: bool,
}

impl ColumnSpec {
    /// A column named exactly by one of `synonyms`.
    pub fn exact<S: AsRef<str>>(synonyms: &[S]) -> ColumnSpec {
        ColumnSpec {
            synonyms: synonyms.iter().map(|s| norm_label(s.as_ref())).collect(),
            contains: false,
        }
    }

    /// A column whose header contains `label` (`对班子建设的评价`).
    pub fn containing(label: &str) -> ColumnSpec {
        ColumnSpec {
            synonyms: vec![norm_label(label)],
            contains: true,
        }
    }
}

/// A header row and the column of each spec found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Zero-based row.
    pub row: u32,
    cols: Vec<Option<u32>>,
}

impl Header {
    /// The column of spec `i`, if found.
    pub fn col(&self, i: usize) -> Option<u32> {
        self.cols.get(i).copied().flatten()
    }

    /// The same header with spec `i` found in column `col`.
    pub fn with_col(mut self, i: usize, col: u32) -> Header {
        if let Some(slot) = self.cols.get_mut(i) {
            *slot = Some(col);
        }
        self
    }

    /// The columns found.
    pub fn found(&self) -> impl Iterator<Item = u32> + '_ {
        self.cols.iter().flatten().copied()
    }

    /// How many specs were found.
    pub fn matched(&self) -> usize {
        self.cols.iter().flatten().count()
    }
}

/// The row matching the most specs among those `accept` allows (first on ties).
pub fn find_header(grid: &Grid, specs: &[ColumnSpec], accept: impl Fn(&Header) -> bool) -> Option<Header> {
    let mut best: Option<Header> = None;
    for (row, _) in grid.rows() {
        let header = match_row(grid, row, specs);
        if accept(&header) && best.as_ref().is_none_or(|b| header.matched() > b.matched()) {
            best = Some(header);
        }
    }
    best
}

/// Matches one row's cells against the specs: exact labels first, then containment.
pub fn match_row(grid: &Grid, row: u32, specs: &[ColumnSpec]) -> Header {
    let mut cols: Vec<Option<u32>> = vec![None; specs.len()];
    // Each label cell: (column, normalised text, already taken by a spec).
    let mut labels: Vec<(u32, &str, bool)> = grid
        .row(row)
        .iter()
        .filter_map(|(c, cell)| Some((*c, cell.label()?, false)))
        .collect();
    for pass_contains in [false, true] {
        for (col, spec) in cols.iter_mut().zip(specs) {
            if col.is_some() || (pass_contains && !spec.contains) {
                continue;
            }
            let hit = labels.iter_mut().find(|(_, label, used)| {
                !*used
                    && spec.synonyms.iter().any(|s| {
                        if pass_contains {
                            label.contains(s.as_str())
                        } else {
                            *label == s
                        }
                    })
            });
            if let Some((c, _, used)) = hit {
                *used = true;
                *col = Some(*c);
            }
        }
    }
    Header { row, cols }
}
