//! .xlsx (Office Open XML): the workbook's sheets by relationship, hidden spans and merges.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::*;
use crate::grid::Region;
use crate::issue::Problem;
use crate::workbook::{Package, corrupt};

/// Hidden rows and columns of an .xlsx, in workbook order.
///
/// Sheets are streamed by calamine's cell reader, so only this metadata is
/// gathered here; a sheet part without the word `hidden` costs one inflate.
pub fn xlsx(zip: &mut Package) -> Result<Scan, Problem> {
    // The workbook part is where the package's relationships say, usually
    // xl/workbook.xml; its own relationships sit beside it in _rels/.
    // A damaged root part leaves the usual place to try; calamine reports
    // the damage in its own words if the workbook is not there either.
    let root = part(zip, "_rels/.rels").ok().flatten().unwrap_or_default();
    let workbook_path = relationships(&root)
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| resolve("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let (dir, file) = match workbook_path.rsplit_once('/') {
        Some((dir, file)) => (dir.to_string(), file.to_string()),
        None => (String::new(), workbook_path.clone()),
    };
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let workbook = part(zip, &workbook_path)?.unwrap_or_default();
    let targets = relationships(&part(zip, &rels_path)?.unwrap_or_default());
    let mut scan = Vec::new();
    for id in sheet_ids(&workbook) {
        let target = targets.iter().find(|r| r.id == id).map(|r| r.target.as_str());
        let xml = match target {
            Some(t) => part(zip, &resolve(&dir, t))?.unwrap_or_default(),
            None => Vec::new(),
        };
        scan.push(SheetScan {
            hidden: xlsx_hidden(&xml),
            merges: xlsx_merges(&xml),
        });
    }
    Ok(scan)
}

fn xlsx_merges(xml: &[u8]) -> Vec<Region> {
    let mut merges = Vec::new();
    let Some(start) = memchr::memmem::find(xml, b"<mergeCells") else {
        return merges;
    };
    // Streamed from the list itself, at most as many as a sheet can use.
    let mut reader = quick_xml::Reader::from_reader(xml.get(start..).unwrap_or_default());
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "mergeCell" => {
                let range = e.try_get_attribute("ref").ok().flatten();
                if let Some(region) = range.and_then(|a| merge_region(&a.value)) {
                    merges.push(region);
                }
                if merges.len() >= MAX_MERGES {
                    break;
                }
            }
            Event::End(e) if e.local_name().into_inner() == "mergeCells" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    merges
}

/// `B2:C4` as a zero-based region.
fn merge_region(range: &str) -> Option<Region> {
    let (a, b) = range.split_once(':')?;
    let ((r0, c0), (r1, c1)) = (cell_position(a)?, cell_position(b)?);
    Some(Region {
        top: r0.min(r1),
        left: c0.min(c1),
        bottom: r0.max(r1),
        right: c0.max(c1),
    })
}

/// `C4` as zero-based (row, column).
fn cell_position(cell: &str) -> Option<(u32, u32)> {
    let cell = cell.trim().trim_start_matches('$');
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let letters = letters.trim_end_matches('$');
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_alphabetic()
            .then(|| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// A part's bytes, found by name as calamine finds it: also under Windows
/// `\\` separators, and case aside.
fn part(zip: &mut Package, name: &str) -> Result<Option<Vec<u8>>, Problem> {
    let index = zip
        .index_for_name(name)
        .or_else(|| zip.index_for_name(&name.replace('/', "\\")))
        .or_else(|| {
            let wanted = crate::workbook::part_name(name);
            (0..zip.len()).find(|&i| {
                zip.name_for_index(i)
                    .is_some_and(|n| n.is_ok_and(|n| crate::workbook::part_name(&n) == wanted))
            })
        });
    let Some(index) = index else {
        return Ok(None);
    };
    let mut entry = zip.by_index(index).map_err(corrupt)?;
    let mut out = Vec::new();
    // Part sizes were checked against the limits from the central directory.
    entry.read_to_end(&mut out).map_err(corrupt)?;
    Ok(Some(out))
}

/// A relationship target as a part name: absolute (`/xl/…`) from the
/// package root, otherwise relative to `dir`, `..` resolved.
fn resolve(dir: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => dir.split('/').filter(|p| !p.is_empty()).collect(),
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Relationship ids of the `<sheet>` elements, in order.
fn sheet_ids(xml: &[u8]) -> Vec<String> {
    elements(xml, "sheet")
        .into_iter()
        .map(|attrs| attr(&attrs, "id").unwrap_or_default())
        .collect()
}

/// One `<Relationship>`: its id, type and target.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// Every relationship of a `.rels` part.
fn relationships(xml: &[u8]) -> Vec<Relationship> {
    elements(xml, "Relationship")
        .into_iter()
        .filter_map(|attrs| {
            Some(Relationship {
                id: attr(&attrs, "Id")?,
                kind: attr(&attrs, "Type").unwrap_or_default(),
                target: attr(&attrs, "Target")?,
            })
        })
        .collect()
}

type Attrs = Vec<(String, String)>;

/// Attributes (by local name) of every element with the given local name.
fn elements(xml: &[u8], local: &str) -> Vec<Attrs> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut found = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == local => {
                let attrs = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .map(|a| {
                        let key = a.key.local_name().into_inner().to_string();
                        (key, a.value.into_owned())
                    })
                    .collect();
                found.push(attrs);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

fn attr(attrs: &Attrs, key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn xlsx_hidden(xml: &[u8]) -> Hidden {
    let mut hidden = Hidden::default();
    if !contains(xml, b"hidden=") {
        return hidden;
    }
    // Streamed: a sheet part may hold a million rows.
    let number = |e: &BytesStart, key: &str| attr_u64(e, key).and_then(|v| u32::try_from(v).ok());
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut next = 0u32;
    while let Ok(event) = reader.read_event() {
        let (Event::Start(e) | Event::Empty(e)) = event else {
            if matches!(event, Event::Eof) {
                break;
            }
            continue;
        };
        let is_hidden = attr_is(&e, "hidden", &["1", "true"]);
        match e.local_name().into_inner() {
            "col" => {
                if let (Some(min), Some(max)) = (number(&e, "min"), number(&e, "max"))
                    && is_hidden
                    && min >= 1
                    && min <= max
                {
                    hidden.push_col(min - 1..max);
                }
            }
            "row" => {
                let row = number(&e, "r").and_then(|r| r.checked_sub(1)).unwrap_or(next);
                if is_hidden {
                    hidden.push_row(row..row.saturating_add(1));
                }
                next = row.saturating_add(1);
            }
            _ => {}
        }
    }
    hidden.normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_from_their_part() {
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("", "sheet1.xml"), "sheet1.xml");
        assert_eq!(resolve("xl", "..\\sheets\\a.xml"), "sheets/a.xml");
    }

    #[test]
    fn merged_ranges_read_from_the_sheet() {
        let xml = br#"<worksheet><mergeCells count="2"><mergeCell ref="A5:A9"/><mergeCell ref="$B$2:AA3"/></mergeCells></worksheet>"#;
        let regions: Vec<(u32, u32, u32, u32)> = xlsx_merges(xml)
            .iter()
            .map(|r| (r.top, r.left, r.bottom, r.right))
            .collect();
        assert_eq!(regions, [(4, 0, 8, 0), (1, 1, 2, 26)]);
        assert_eq!(cell_position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_position("A0"), None);
    }

    #[test]
    fn hidden_spans_merge_and_cover() {
        let xml = br#"<worksheet><cols><col min="3" max="4" hidden="1"/></cols><sheetData>
            <row r="2" hidden="1"><c r="A2"/></row><row hidden="true"/><row r="9"/></sheetData></worksheet>"#;
        let hidden = xlsx_hidden(xml);
        assert_eq!(hidden.rows, vec![1..3]);
        assert_eq!(hidden.cols, vec![2..4]);
        assert!(hidden.row_span(2).is_some() && hidden.col_span(3).is_some());
        assert!(hidden.row_span(8).is_none() && hidden.col_span(1).is_none());
    }
}
