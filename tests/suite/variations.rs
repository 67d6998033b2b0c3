//! Layout variations: every fixture scoring form, rewritten the ways real
//! offices rewrite a form while it means exactly the same, must score as the
//! original.
//!
//! Design. Each form is read with calamine (typed cells and merged regions;
//! .xlsx, .xls or .ods, whatever `open_workbook_auto` opens, an .ods's merges
//! read from its `content.xml`) into a small model of its workbook: the
//! scoring sheets, those whose table has a header the test recognises, and
//! the other sheets, kept as they are. A scoring sheet is the lines above its
//! table (title, the identity line, notes, a 否决条件 block), the table
//! (header rows, body rows, merges, a role per column found from its title
//! and the scheme's `[labels]`) and the lines below it (notes, the 一票否决
//! block, signatures). The identity line is kept as parsed fields
//! (`label：value`, label | value, or a place line `城关镇　东关村`) so that it
//! can be laid out again. A variant applies 1–3 of nine kinds of change
//! (`Kind`): columns reordered; merges changed; identity label and value in
//! one cell or two; identity under the table or in the title; blank and note
//! rows; footers (综合考评得分, 评定星级, 通过线, a signature, the formula, 合计
//! renamed); everything shifted; an unrelated sheet; the table split over two
//! sheets. The kinds are drawn by a splitmix64 generator seeded from `SEED`,
//! the form and the variant's number; variant k < 9 always includes kind
//! k + 1, so that every kind is used on every form. The model is then
//! rendered and written with rust_xlsxwriter, always as an .xlsx (the variant
//! of an .xls or .ods form too), into a temporary inbox beside copies of the
//! fixture's other files (ballot registers included, unchanged), and the
//! inbox is evaluated: the branch must get the same tier, total, indicator
//! scores, bonus and vetoes as in the original inbox, with no new error.
//!
//! Forms of several sheets (`tests/fixtures/unseen`: an application sheet
//! and a scoring sheet per star level; a scoring sheet and its count sheet).
//! Each kind there does what a careful person still takes for the same form:
//!
//! - Sheets that are not scoring sheets (申报表, 满意度测评, 填表说明) stay in
//!   the workbook in their place, cells and merges as they are; only the
//!   identity's row of an application sheet changes, by the identity kinds.
//! - The scoring sheets of a workbook are filled in on one template, and an
//!   office changes the template: columns, merges, blank and note rows,
//!   footers, the shift and the split are made to each scoring sheet alike
//!   (drawn from the same state of the generator).
//! - The identity is the first identity line in sheet order: above a scoring
//!   table (`党支部名称：…`, or `乡镇：…` / `村党组织：…` from the scheme's
//!   `[labels]`) or on another sheet (申报表's `党支部名称 | … | 上级党组织 |
//!   …`). Kind 3 lays it out again where it is. Kind 4 puts the branch's name
//!   in the title of every scoring sheet and drops its label; the parent stays
//!   a labelled line. A level sheet's title names its level, so the heading
//!   keeps the title's bracketed end (`{level}`: 郑州枢纽项目部党支部星级达标考核
//!   评分表（三星级标准·“四有”）). An identity on the application sheet never
//!   goes under a table: under one level sheet it would name that sheet only.
//!   A title's generic words (the university's, the county's name) give way
//!   to the branch's name, as on the single-sheet forms.
//! - A level sheet split over two sheets keeps its name on both halves:
//!   三星级标准 and 三星级标准（续）, the header repeated on the second.
//! - Rows after the 合计 (本级得分, 综合考评得分（…）, 支部申报等次,
//!   机关党委评定等次) are results, not indicators: no split before them; a
//!   value written once over both score columns keeps those columns together
//!   when columns move, while their label moves like the 合计's.
//! - The 否决条件 block above a level sheet's table stays one block: no line
//!   goes between its caption, header, items and note.
//! - Footers restate only what the form and the scheme say: 综合考评得分 on a
//!   form of one scoring sheet that does not write it already (a level
//!   sheet's total is not the form's); the tier under the last scoring sheet
//!   only, as 评定等次 where the tiers are no stars (先进, 较好…); 通过线：80分
//!   only where 80 is a line of the scheme; 总分＝各项得分之和 only where the
//!   total is the plain sum (no weighted `[score_columns]`).
//! - The unrelated sheet takes a name no sheet has (填报要求 beside a
//!   workbook's own 填表说明).
//!
//! The generator checks itself before a variant is evaluated: the test reads
//! the variant back its own way (header titles → columns, indicator names
//! carried down merged or blank cells, totals by their label, a second sheet
//! continuing the first, each row with its scoring sheet) and must find the
//! original's table rows cell for cell, the branch's name and parent (never on
//! a continuation sheet), every other line of the original, each kept sheet
//! as it was but for the identity's row, and on a form of several scoring
//! sheets each title's level. The form written back with no change must also
//! evaluate exactly as the original file. A failure of either is the
//! generator's and fails the test as such. While the reader does not score an
//! original form at all, its variants are made and checked but not
//! evaluated, and all count as failing.
//!
//! `STARSHEET_VARIANTS_DIR=dir` writes every variant, with a list of what each
//! changed and its verdict, under `dir`, to open a failing one in Excel or WPS.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use calamine::{Data, Dimensions, Reader, Sheets, open_workbook_auto};
use quick_xml::events::{BytesStart, Event};
use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use starsheet::issue::Severity;
use starsheet::scheme::{Scheme, Schemes};
use starsheet::{Evaluation, Plan};

use crate::common::walk;

/// The seed of every variant: change it to see other variants.
const SEED: u64 = 2026;
/// Variants made of each form.
const VARIANTS: usize = 24;

// ---------------------------------------------------------------------------
// The fixtures
// ---------------------------------------------------------------------------

/// A folder of fixture forms: which of its files are scoring forms, and the
/// ones that must be found there.
struct Folder {
    /// The inbox, from the crate's root.
    inbox: &'static str,
    /// The scheme file beside it, or a built-in scheme's name.
    scheme: &'static str,
    /// The title a branch would give the form with its name in it; `{level}`
    /// stands for the bracketed end of each scoring sheet's own title.
    heading: &'static str,
    /// Which files of the inbox are scoring forms.
    is_form: fn(&str) -> bool,
    /// The forms this test varies (checked against `is_form`).
    forms: &'static [&'static str],
    /// Whether `forms` are all the folder's scoring forms.
    every_form: bool,
    /// Whether only the files named after the form's branch go with it
    /// (else every other file of the inbox).
    branch_only: bool,
}

const FOLDERS: &[Folder] = &[
    Folder {
        inbox: "tests/fixtures/localities/wuxing/收件箱",
        scheme: "tests/fixtures/localities/wuxing/方案.toml",
        heading: "{name}“五星创评”星级评定申报表",
        is_form: |f| f.ends_with("申报表.xlsx"),
        forms: &[
            "市直机关工委第一党支部申报表.xlsx",
            "市直机关工委第三党支部申报表.xlsx",
            "市直机关工委第二党支部申报表.xlsx",
        ],
        every_form: true,
        branch_only: false,
    },
    Folder {
        inbox: "tests/fixtures/localities/cunji/收件箱",
        scheme: "tests/fixtures/localities/cunji/方案.toml",
        heading: "{name}星级创建工作考评细则",
        is_form: |f| f.ends_with(".xlsx"),
        forms: &["城关镇东关村.xlsx", "城关镇西街村.xlsx", "河口乡李家村.xlsx"],
        every_form: true,
        branch_only: false,
    },
    Folder {
        inbox: "tests/fixtures/localities/pingxing/收件箱",
        scheme: "tests/fixtures/localities/pingxing/方案.toml",
        heading: "2023年度{name}评星定级考核评分表",
        is_form: |f| f.ends_with("评分表.xlsx"),
        forms: &[
            "县医院党支部评分表.xlsx",
            "县税务局第一党支部评分表.xlsx",
            "县税务局第二党支部评分表.xlsx",
        ],
        every_form: true,
        branch_only: false,
    },
    Folder {
        inbox: "tests/fixtures/realworld/A/收件箱",
        scheme: "tests/fixtures/realworld/A/方案.toml",
        heading: "{name}“五星创评”评分表",
        is_form: |f| !f.contains("测评") && !f.contains("汇总"),
        forms: &[
            "市财政局机关第一党支部.xlsx",
            "市财政局机关第三党支部.xlsx",
            "市财政局机关第二党支部.xlsx",
        ],
        every_form: true,
        branch_only: false,
    },
    Folder {
        inbox: "tests/fixtures/realworld/B/收件箱",
        scheme: "tests/fixtures/realworld/B/方案.toml",
        heading: "{name}星级创建工作考评细则",
        is_form: |f| !f.contains("测评") && !f.contains("汇总"),
        forms: &[
            "城关镇东关村星级创建考评.xlsx",
            "城关镇南关村星级创建考评.xlsx",
            "城关镇西关村星级创建考评.xlsx",
        ],
        every_form: true,
        branch_only: false,
    },
    Folder {
        inbox: "tests/fixtures/realworld/C/收件箱",
        scheme: "tests/fixtures/realworld/C/方案.toml",
        heading: "2023年度{name}评星定级考核评分表",
        is_form: |f| !f.contains("测评") && !f.contains("汇总"),
        forms: &["城区街道机关党支部.xlsx", "幸福社区党支部.xlsx", "文化站党支部.xlsx"],
        every_form: true,
        branch_only: false,
    },
    // The sample inbox: one form of each of three layouts its generator
    // writes (the canonical one with 序号 and merged indicators; label and
    // value in separate cells, the columns moved and the indicator repeated
    // on each row; the two-row header with both identity fields in one cell,
    // blank rows between indicators and a 一票否决 answered 是). Each is
    // evaluated beside its own branch's files (ballot register, roster,
    // party groups' forms), not the whole inbox: nothing across branches
    // changes a score or tier under the standard scheme, and ninety files an
    // evaluation would take most of the time this test may have.
    Folder {
        inbox: "samples/inbox",
        scheme: "standard",
        heading: "{name}星级评定评分表",
        is_form: is_sample_form,
        forms: &[
            "市财政局机关党委/市财政局机关第一党支部评分表.xlsx",
            "市教育局机关党委/市教育局机关第二党支部评分表.xlsx",
            "市税务局机关党委/市税务局机关第四党支部评分表.xlsx",
        ],
        every_form: false,
        branch_only: true,
    },
    // Three localities the reader was not written for (unseen/README.md).
    // 国有企业: an application sheet 申报表 with the identity, then one
    // scoring sheet per star level, the first with a 否决条件 block above
    // its table; one .xls; one with a 填表说明 sheet first and a blank
    // 五星级 sheet.
    Folder {
        inbox: "tests/fixtures/unseen/guoqi/收件箱",
        scheme: "tests/fixtures/unseen/guoqi/方案.toml",
        heading: "{name}星级达标考核评分表{level}",
        is_form: |f| f.ends_with(".xlsx") || f.ends_with(".xls"),
        forms: &[
            "郑州枢纽项目部党支部星级评定申报材料.xlsx",
            "物资设备分公司党支部-星级达标考核表.xls",
            "西安地铁项目部党支部（四星申报）.xlsx",
        ],
        every_form: true,
        branch_only: false,
    },
    // 高校: a scoring sheet with the results under its table, and a
    // 满意度测评 count sheet; scores as text (14分, full-width); one .ods.
    Folder {
        inbox: "tests/fixtures/unseen/gaoxiao/收件箱",
        scheme: "tests/fixtures/unseen/gaoxiao/方案.toml",
        heading: "{name}分类定级评分表",
        is_form: |_| true,
        forms: &[
            "教务处党支部分类定级评分表.xlsx",
            "财务处党支部 分类定级.xlsx",
            "后勤管理处党支部评分表.ods",
        ],
        every_form: true,
        branch_only: false,
    },
    // 县村级: 乡镇：… and 村党组织：… labels, a 减分项 block, the 一票否决 /
    // 黄牌警告 condition in a 说明 line; the ballot registers (民主测评登记表,
    // one .ods) stay beside each variant as they are.
    Folder {
        inbox: "tests/fixtures/unseen/xiancun/收件箱",
        scheme: "tests/fixtures/unseen/xiancun/方案.toml",
        heading: "{name}星级评定考核评分表",
        is_form: |f| f.ends_with("考核表.xlsx"),
        forms: &[
            "柳林村星级评定考核表.xlsx",
            "河湾村星级评定考核表.xlsx",
            "石桥村星级评定考核表.xlsx",
        ],
        every_form: true,
        branch_only: false,
    },
];

fn is_sample_form(rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    file.ends_with("评分表.xlsx") && !file.starts_with("~$")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files of a folder, relative to it, with '/' between parts.
fn relative_files(dir: &Path) -> Vec<String> {
    walk(dir)
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap();
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// One form to vary, with what it needs around it.
struct Case {
    id: String,
    inbox: PathBuf,
    form: String,
    others: Vec<String>,
    scheme: String,
    heading: &'static str,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for folder in FOLDERS {
        let inbox = root().join(folder.inbox);
        let files = relative_files(&inbox);
        let found: BTreeSet<&str> = files
            .iter()
            .map(String::as_str)
            .filter(|f| (folder.is_form)(f))
            .collect();
        for form in folder.forms {
            assert!(
                found.contains(form),
                "{}: {form} is not a scoring form there",
                folder.inbox
            );
        }
        if folder.every_form {
            let listed: BTreeSet<&str> = folder.forms.iter().copied().collect();
            assert_eq!(found, listed, "{}: the scoring forms found by name", folder.inbox);
        }
        let scheme = if folder.scheme.ends_with(".toml") {
            root().join(folder.scheme).to_string_lossy().into_owned()
        } else {
            folder.scheme.to_string()
        };
        for form in folder.forms {
            let stem = form.trim_end_matches("评分表.xlsx");
            let others = files
                .iter()
                .filter(|f| f != form && (!folder.branch_only || f.starts_with(stem)))
                .cloned()
                .collect();
            let short = folder
                .inbox
                .trim_start_matches("tests/fixtures/")
                .trim_end_matches("/收件箱");
            cases.push(Case {
                id: format!("{short}/{form}"),
                inbox: inbox.clone(),
                form: form.to_string(),
                others,
                scheme: scheme.clone(),
                heading: folder.heading,
            });
        }
    }
    cases
}

// ---------------------------------------------------------------------------
// A seeded generator
// ---------------------------------------------------------------------------

/// splitmix64.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n.
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        (self.next() % n as u64) as usize
    }

    /// lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// FNV-1a, to seed each form from its name.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

// ---------------------------------------------------------------------------
// Sheets as read and written
// ---------------------------------------------------------------------------

/// (first row, first column, last row, last column), zero-based, inclusive.
type Rect = (u32, u16, u32, u16);

#[derive(Clone, Debug, PartialEq)]
enum Val {
    S(String),
    N(f64),
    B(bool),
    /// A date, as its serial number.
    D(f64),
}

impl Val {
    fn text(&self) -> Option<&str> {
        match self {
            Val::S(s) => Some(s),
            _ => None,
        }
    }

    fn repr(&self) -> String {
        match self {
            Val::S(s) => s.trim().to_string(),
            Val::N(n) => format!("{n}"),
            Val::B(b) => format!("{b}"),
            Val::D(d) => format!("date {d}"),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Sheet {
    name: String,
    cells: BTreeMap<(u32, u16), Val>,
    merges: Vec<Rect>,
}

impl Sheet {
    fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            ..Sheet::default()
        }
    }

    fn last_row(&self) -> Option<u32> {
        let cells = self.cells.keys().map(|k| k.0);
        let merges = self.merges.iter().map(|m| m.2);
        cells.chain(merges).max()
    }

    fn row(&self, r: u32) -> BTreeMap<u16, Val> {
        self.cells
            .range((r, 0)..=(r, u16::MAX))
            .map(|(&(_, c), v)| (c, v.clone()))
            .collect()
    }
}

/// Every sheet of a workbook in any format calamine reads, with its merges
/// (calamine gives those of .xlsx and .xls; an .ods's are read from its
/// `content.xml`).
fn read_workbook(path: &Path) -> Vec<Sheet> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut ods = matches!(wb, Sheets::Ods(_)).then(|| ods_merges(path));
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let mut sheet = Sheet::new(&name);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.cells() {
            let at = (r0 + r as u32, (c0 as usize + c) as u16);
            let value = match data {
                Data::Empty => continue,
                Data::String(s) if s.is_empty() => continue,
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Val::S(s.clone()),
                Data::Float(f) => Val::N(*f),
                Data::Int(i) => Val::N(*i as f64),
                Data::Bool(b) => Val::B(*b),
                Data::DateTime(d) => Val::D(d.as_f64()),
                Data::Error(e) => panic!("{}: error value {e:?} in a fixture", path.display()),
            };
            sheet.cells.insert(at, value);
        }
        let dims = match &mut wb {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap(),
            Sheets::Ods(_) => ods.as_mut().unwrap().remove(&name).unwrap_or_default(),
            Sheets::Xlsb(_) => panic!("{}: no merges read from an .xlsb", path.display()),
        };
        sheet.merges = dims
            .iter()
            .map(|m| (m.start.0, m.start.1 as u16, m.end.0, m.end.1 as u16))
            .collect();
        sheet.merges.sort();
        sheets.push(sheet);
    }
    sheets
}

/// The merged regions of an .ods, by sheet: the cells spanning rows or
/// columns (`table:number-rows-spanned`, `table:number-columns-spanned`),
/// counted through repeated rows and cells.
fn ods_merges(path: &Path) -> BTreeMap<String, Vec<Dimensions>> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let content = zip.by_name("content.xml").unwrap();
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let number = |e: &BytesStart, key: &str| -> u32 {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut out: BTreeMap<String, Vec<Dimensions>> = BTreeMap::new();
    let mut sheet = String::new();
    let (mut row, mut col, mut repeat) = (0u32, 0u32, 1u32);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).unwrap();
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.name().into_inner() == "table:table-row" {
                    row += repeat;
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().into_inner() {
            "table:table" => {
                sheet = e
                    .try_get_attribute("table:name")
                    .unwrap()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                out.entry(sheet.clone()).or_default();
                row = 0;
            }
            "table:table-row" => {
                repeat = number(e, "table:number-rows-repeated");
                col = 0;
                if empty {
                    row += repeat;
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let rows = number(e, "table:number-rows-spanned");
                let cols = number(e, "table:number-columns-spanned");
                if rows > 1 || cols > 1 {
                    out.get_mut(&sheet).unwrap().push(Dimensions {
                        start: (row, col),
                        end: (row + rows - 1, col + cols - 1),
                    });
                }
                col += number(e, "table:number-columns-repeated");
            }
            _ => {}
        }
        buf.clear();
    }
    out
}

fn write_workbook(path: &Path, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let plain = Format::new();
    for sheet in sheets {
        let ws = wb.add_worksheet().set_name(&sheet.name).unwrap();
        let write = |ws: &mut rust_xlsxwriter::Worksheet, (r, c): (u32, u16), v: &Val| {
            match v {
                Val::S(s) => ws.write_string(r, c, s),
                Val::N(n) => ws.write_number(r, c, *n),
                Val::B(b) => ws.write_boolean(r, c, *b),
                Val::D(d) => ws.write_number_with_format(r, c, *d, &date),
            }
            .unwrap();
        };
        for &(r0, c0, r1, c1) in &sheet.merges {
            ws.merge_range(r0, c0, r1, c1, "", &plain)
                .unwrap_or_else(|e| panic!("generator: merge {} on {}: {e}", rect_ref((r0, c0, r1, c1)), sheet.name));
            if let Some(v) = sheet.cells.get(&(r0, c0)) {
                write(ws, (r0, c0), v);
            }
        }
        for (&(r, c), v) in &sheet.cells {
            if let Some(m) = sheet.merges.iter().find(|m| covers(**m, r, c)) {
                if (m.0, m.1) == (r, c) {
                    continue;
                }
                panic!(
                    "generator: {} under the merge {} on {}",
                    cell_ref(r, c),
                    rect_ref(*m),
                    sheet.name
                );
            }
            write(ws, (r, c), v);
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    wb.save(path).unwrap();
}

fn covers(m: Rect, r: u32, c: u16) -> bool {
    m.0 <= r && r <= m.2 && m.1 <= c && c <= m.3
}

fn column_name(c: u16) -> String {
    let mut n = c as u32 + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn cell_ref(r: u32, c: u16) -> String {
    format!("{}{}", column_name(c), r + 1)
}

fn rect_ref(m: Rect) -> String {
    format!("{}:{}", cell_ref(m.0, m.1), cell_ref(m.2, m.3))
}

// ---------------------------------------------------------------------------
// Titles: what the test knows of a form's words
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Indicator,
    Category,
    Standard,
    Max,
    SelfScore,
    Assessed,
    Reason,
    Other,
}

/// Column titles by role (the README's, plus the scheme's `[labels]`) and
/// identity labels.
struct Titles {
    roles: Vec<(Role, BTreeSet<String>)>,
    names: Vec<String>,
    parents: Vec<String>,
}

impl Titles {
    fn load(scheme: &str) -> Titles {
        let builtin: [(Role, &[&str]); 7] = [
            (Role::Indicator, &["考评项目", "指标", "项目"]),
            (Role::Category, &["类别", "分类", "项目类别"]),
            (Role::Standard, &["考评内容", "评分标准", "考评标准"]),
            (Role::Max, &["分值", "标准分", "满分"]),
            (Role::SelfScore, &["自评分", "自评得分"]),
            (Role::Assessed, &["考核得分", "评定得分", "考核评分"]),
            (Role::Reason, &["扣分原因", "备注"]),
        ];
        let mut roles: Vec<(Role, BTreeSet<String>)> = builtin
            .iter()
            .map(|(role, titles)| (*role, titles.iter().map(|t| norm(t)).collect()))
            .collect();
        let mut names: Vec<String> = ["支部名称", "党支部名称", "党支部", "党小组名称"]
            .map(String::from)
            .to_vec();
        let mut parents: Vec<String> = ["所属党组织", "上级党组织", "所属党委", "所属党支部"]
            .map(String::from)
            .to_vec();
        if scheme.ends_with(".toml") {
            let text = std::fs::read_to_string(scheme).unwrap();
            let table: toml::Table = toml::from_str(&text).unwrap();
            if let Some(toml::Value::Table(labels)) = table.get("labels") {
                for (key, value) in labels {
                    let words: Vec<String> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect();
                    let role = match key.as_str() {
                        "indicator" => Role::Indicator,
                        "category" => Role::Category,
                        "standard" => Role::Standard,
                        "max" => Role::Max,
                        "self_score" => Role::SelfScore,
                        "assessed" => Role::Assessed,
                        "reason" => Role::Reason,
                        "name" => {
                            names.extend(words);
                            continue;
                        }
                        "parent" => {
                            parents.extend(words);
                            continue;
                        }
                        _ => continue,
                    };
                    let set = &mut roles.iter_mut().find(|(r, _)| *r == role).unwrap().1;
                    set.extend(words.iter().map(|w| norm(w)));
                }
            }
        }
        // Longest first, so that 党支部名称 is not taken for 党支部.
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        parents.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        Titles { roles, names, parents }
    }

    fn role(&self, header: &str) -> Role {
        let key = norm(header);
        self.roles
            .iter()
            .find(|(_, titles)| titles.contains(&key))
            .map_or(Role::Other, |(role, _)| *role)
    }

    fn is_name_label(&self, label: &str) -> bool {
        self.names.iter().any(|n| n == label.trim())
    }

    fn is_parent_label(&self, label: &str) -> bool {
        self.parents.iter().any(|n| n == label.trim())
    }

    fn is_identity_label(&self, label: &str) -> bool {
        self.is_name_label(label) || self.is_parent_label(label)
    }

    /// A line that begins with an identity label (with or without its
    /// value) or a place.
    fn starts_identity(&self, text: &str) -> bool {
        let t = text.trim();
        let labelled = self.names.iter().chain(&self.parents).any(|l| {
            t.strip_prefix(l.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['：', ':']))
        });
        let mut tokens = t.split_whitespace();
        let place = match (tokens.next(), tokens.next()) {
            (Some(town), Some(village)) => is_town(town) && is_village(village),
            (Some(town), None) => is_town(town),
            _ => false,
        };
        labelled || place
    }
}

/// A title without blanks, line breaks and a trailing （…分）.
fn norm(text: &str) -> String {
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if s.ends_with(close)
            && let Some(at) = s.rfind(open)
            && s[at..].contains('分')
        {
            return s[..at].to_string();
        }
    }
    s
}

/// An indicator's name without its numbering (一、) and points.
fn indicator_key(text: &str) -> String {
    let s = norm(text);
    let numbering = s
        .char_indices()
        .take_while(|(_, c)| "一二三四五六七八九十0123456789".contains(*c))
        .last()
        .map(|(i, c)| i + c.len_utf8());
    if let Some(end) = numbering
        && let Some(rest) = s[end..].strip_prefix(['、', '.', '．'])
    {
        return rest.to_string();
    }
    s
}

fn is_town(token: &str) -> bool {
    token.chars().count() >= 2 && (token.ends_with('镇') || token.ends_with('乡') || token.ends_with("街道"))
}

fn is_village(token: &str) -> bool {
    token.chars().count() >= 2 && (token.ends_with('村') || token.ends_with("社区"))
}

/// Lines under a table that end it: notes, 一票否决, signatures, formulas,
/// results written under the table, identity.
fn closes_table(text: &str, t: &Titles) -> bool {
    let s = text.trim();
    [
        "说明",
        "注：",
        "注:",
        "备注：",
        "填表说明",
        "评定星级",
        "评定等次",
        "通过线",
    ]
    .iter()
    .any(|p| s.starts_with(p))
        || ["一票否决", "签字", "盖章", "＝", "="].iter().any(|p| s.contains(p))
        || t.starts_identity(s)
}

fn split_label(token: &str) -> Option<(String, String)> {
    let at = token.find(['：', ':'])?;
    let colon = token[at..].chars().next().unwrap().len_utf8();
    Some((token[..at].trim().to_string(), token[at + colon..].trim().to_string()))
}

// ---------------------------------------------------------------------------
// Where the table is
// ---------------------------------------------------------------------------

struct Layout {
    head0: u32,
    head1: u32,
    /// Last row of the table.
    end: u32,
    c0: u16,
    c1: u16,
}

/// The header: the first row with titles of three roles; it goes down as
/// far as the merges that start on it; the table ends at its last non-blank
/// row before a line that closes it.
fn layout(sheet: &Sheet, t: &Titles) -> Option<Layout> {
    let last = sheet.last_row()?;
    let head0 = (0..=last).find(|&r| {
        let roles: BTreeSet<Role> = sheet
            .row(r)
            .values()
            .filter_map(|v| v.text().map(|s| t.role(s)))
            .filter(|role| *role != Role::Other)
            .collect();
        roles.len() >= 3
    })?;
    let starting: Vec<&Rect> = sheet.merges.iter().filter(|m| m.0 == head0).collect();
    let head1 = starting.iter().map(|m| m.2).max().unwrap_or(head0).max(head0);
    let mut cols: Vec<u16> = Vec::new();
    for r in head0..=head1 {
        cols.extend(sheet.row(r).keys());
    }
    for m in &starting {
        cols.push(m.1);
        cols.push(m.3);
    }
    let c0 = *cols.iter().min()?;
    let c1 = *cols.iter().max()?;
    let mut end = head1;
    for r in head1 + 1..=last {
        let row = sheet.row(r);
        let Some((_, first)) = row.iter().next() else {
            continue;
        };
        if first.text().is_some_and(|s| closes_table(s, t)) {
            break;
        }
        end = r;
    }
    Some(Layout {
        head0,
        head1,
        end,
        c0,
        c1,
    })
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Table {
    /// The sheet row of the first header row in the original, for messages.
    top: u32,
    head: usize,
    width: u16,
    rows: Vec<BTreeMap<u16, Val>>,
    /// Rows relative to the first header row.
    merges: Vec<Rect>,
    roles: BTreeMap<u16, Role>,
    headers: BTreeMap<u16, String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GroupKind {
    Indicator,
    Bonus,
    Total,
    /// A labelled row after the total: a result or a claim the form states
    /// (本级得分, 综合考评得分（…）, 支部申报等次).
    Result,
    /// A row added under the table by a variant (综合考评得分).
    Added,
}

#[derive(Clone, Debug)]
struct Group {
    start: usize,
    end: usize,
    name: String,
    kind: GroupKind,
}

fn group_kind(name: &str) -> GroupKind {
    let key = norm(name);
    if name.trim() == ADDED {
        GroupKind::Added
    } else if ["合计", "总计", "总分"].iter().any(|p| key.starts_with(p)) {
        GroupKind::Total
    } else if key.starts_with("加分") {
        GroupKind::Bonus
    } else {
        GroupKind::Indicator
    }
}

impl Table {
    fn at(sheet: &Sheet, lay: &Layout, t: &Titles) -> Table {
        let rows: Vec<BTreeMap<u16, Val>> = (lay.head0..=lay.end)
            .map(|r| {
                sheet
                    .row(r)
                    .into_iter()
                    .filter(|(c, _)| (lay.c0..=lay.c1).contains(c))
                    .map(|(c, v)| (c - lay.c0, v))
                    .collect()
            })
            .collect();
        let merges = sheet
            .merges
            .iter()
            .filter(|m| m.0 >= lay.head0 && m.2 <= lay.end && m.1 >= lay.c0 && m.3 <= lay.c1)
            .map(|m| (m.0 - lay.head0, m.1 - lay.c0, m.2 - lay.head0, m.3 - lay.c0))
            .collect();
        let mut table = Table {
            top: lay.head0,
            head: (lay.head1 - lay.head0 + 1) as usize,
            width: lay.c1 - lay.c0 + 1,
            rows,
            merges,
            roles: BTreeMap::new(),
            headers: BTreeMap::new(),
        };
        table.name_columns(t);
        table
    }

    /// Each column's title: the lowest header row with a title over it.
    fn name_columns(&mut self, t: &Titles) {
        self.headers.clear();
        self.roles.clear();
        for c in 0..self.width {
            let mut title = None;
            for r in 0..self.head {
                if let Some(text) = self.cell(r, c).and_then(Val::text) {
                    title = Some(text.to_string());
                } else if let Some(m) = self.cover(r, c)
                    && m.0 as usize == r
                    && let Some(text) = self.cell(m.0 as usize, m.1).and_then(Val::text)
                {
                    title = Some(text.to_string());
                }
            }
            let title = title.unwrap_or_default();
            self.roles.insert(c, t.role(&title));
            self.headers.insert(c, norm(&title));
        }
    }

    fn col(&self, role: Role) -> Option<u16> {
        self.roles.iter().find(|(_, r)| **r == role).map(|(c, _)| *c)
    }

    fn cell(&self, r: usize, c: u16) -> Option<&Val> {
        self.rows.get(r).and_then(|row| row.get(&c))
    }

    fn cover(&self, r: usize, c: u16) -> Option<Rect> {
        self.merges.iter().copied().find(|m| covers(*m, r as u32, c))
    }

    fn blank(&self, r: usize) -> bool {
        self.rows[r].is_empty() && !self.merges.iter().any(|m| (m.0 as usize..=m.2 as usize).contains(&r))
    }

    /// The leftmost text of a row.
    fn first_text(&self, r: usize) -> Option<&str> {
        self.rows[r].values().find_map(Val::text)
    }

    /// The score columns.
    fn score_cols(&self) -> BTreeSet<u16> {
        self.roles
            .iter()
            .filter(|(_, r)| matches!(r, Role::SelfScore | Role::Assessed))
            .map(|(c, _)| *c)
            .collect()
    }

    /// A row's label: its leftmost text outside the score columns (a result
    /// row may hold a text such as 先进 there), else its leftmost text.
    fn label_text(&self, r: usize) -> Option<&str> {
        let scores = self.score_cols();
        self.rows[r]
            .iter()
            .find(|(c, v)| !scores.contains(c) && v.text().is_some())
            .and_then(|(_, v)| v.text())
            .or_else(|| self.first_text(r))
    }

    /// Indicators and the rows under each: a name carried down its merge,
    /// blank cells or the same name repeated; totals and bonus by label.
    fn groups(&self) -> Vec<Group> {
        let ind = self.col(Role::Indicator).expect("an indicator column");
        let mut groups: Vec<Group> = Vec::new();
        let mut open = false;
        for r in self.head..self.rows.len() {
            if self.blank(r) {
                open = false;
                continue;
            }
            let start = |groups: &mut Vec<Group>, name: String| {
                let kind = group_kind(&name);
                groups.push(Group {
                    start: r,
                    end: r,
                    name,
                    kind,
                });
            };
            match self.cover(r, ind) {
                Some(m) if (m.0 as usize) < r && open => groups.last_mut().unwrap().end = r,
                Some(m) => {
                    let name = self.cell(m.0 as usize, m.1).map(Val::repr).unwrap_or_default();
                    start(&mut groups, name);
                }
                None => match self.cell(r, ind).map(Val::repr).filter(|s| !s.is_empty()) {
                    Some(name) => {
                        let last = groups.last_mut();
                        match last {
                            Some(g) if open && g.name == name && self.cover(g.start, ind).is_none() => g.end = r,
                            _ => start(&mut groups, name),
                        }
                    }
                    None => {
                        let after_total = groups.iter().any(|g| g.kind == GroupKind::Total);
                        let label = self
                            .label_text(r)
                            .filter(|s| after_total || group_kind(s) != GroupKind::Indicator);
                        match label {
                            Some(label) => start(&mut groups, label.trim().to_string()),
                            None if open => groups.last_mut().unwrap().end = r,
                            None => start(&mut groups, String::new()),
                        }
                    }
                },
            }
            open = true;
        }
        // What follows the total is no indicator.
        let mut after_total = false;
        for g in &mut groups {
            match g.kind {
                GroupKind::Total => after_total = true,
                GroupKind::Indicator if after_total => g.kind = GroupKind::Result,
                _ => {}
            }
        }
        groups
    }

    /// The category of each body row: its cell, its merge, or the one above.
    fn categories(&self) -> BTreeMap<usize, String> {
        let mut out = BTreeMap::new();
        let Some(cat) = self.col(Role::Category) else {
            return out;
        };
        let mut current = String::new();
        for r in self.head..self.rows.len() {
            if let Some(v) = self.cell(r, cat) {
                current = v.repr();
            } else if let Some(m) = self.cover(r, cat) {
                current = self.cell(m.0 as usize, m.1).map(Val::repr).unwrap_or_default();
            }
            out.insert(r, current.clone());
        }
        out
    }
}

// ---------------------------------------------------------------------------
// The form: lines, identity, table
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
struct Line {
    cells: BTreeMap<u16, Val>,
    spans: Vec<(u16, u16)>,
}

impl Line {
    fn text(text: &str) -> Line {
        let mut line = Line::default();
        line.cells.insert(0, Val::S(text.to_string()));
        line
    }

    fn spanning(text: &str, width: u16) -> Line {
        let mut line = Line::text(text);
        if width > 1 {
            line.spans.push((0, width - 1));
        }
        line
    }

    fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }
}

#[derive(Clone, Debug)]
enum Row {
    Line(Line),
    Title(Line),
    Identity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// `label：value` in a cell for each field.
    Joined,
    /// Label and value in adjacent cells.
    Split,
    /// Every field in one cell.
    OneCell,
}

#[derive(Clone, Debug)]
struct Identity {
    raw: Line,
    /// Labelled fields, in the line's order (name, parent, others).
    fields: Vec<(String, String)>,
    /// A place line: (town, village).
    place: Option<(String, String)>,
    style: Style,
    edited: bool,
}

impl Identity {
    fn parse(line: &Line, t: &Titles) -> Option<Identity> {
        let cells: Vec<&str> = line.cells.values().filter_map(Val::text).collect();
        if cells.len() != line.cells.len() || cells.is_empty() {
            return None;
        }
        let mut fields = Vec::new();
        let mut style = Style::Joined;
        let mut place = None;
        let mut i = 0;
        let first: Vec<&str> = cells[0].split_whitespace().collect();
        if first.len() >= 2 && is_town(first[0]) && is_village(first[1]) {
            place = Some((first[0].to_string(), first[1].to_string()));
            for token in &first[2..] {
                fields.push(split_label(token)?);
            }
            i = 1;
        } else if first.len() == 1 && cells.len() >= 2 && is_town(first[0]) && is_village(cells[1].trim()) {
            place = Some((first[0].to_string(), cells[1].trim().to_string()));
            style = Style::Split;
            i = 2;
        }
        while i < cells.len() {
            let text = cells[i].trim();
            if text.contains(['：', ':']) {
                let tokens: Vec<&str> = text.split_whitespace().collect();
                if tokens.len() > 1 && place.is_none() {
                    style = Style::OneCell;
                }
                for token in tokens {
                    fields.push(split_label(token)?);
                }
            } else if i + 1 < cells.len()
                && !cells[i + 1].contains(['：', ':'])
                && (t.is_identity_label(text) || text.chars().count() <= 8)
            {
                // A label and its value in two cells (考评时间 | 2014年1月
                // beside 党支部名称 | …).
                fields.push((text.to_string(), cells[i + 1].trim().to_string()));
                style = Style::Split;
                i += 1;
            } else {
                return None;
            }
            i += 1;
        }
        let known = fields.iter().any(|(l, _)| t.is_identity_label(l));
        (place.is_some() || known).then(|| Identity {
            raw: line.clone(),
            fields,
            place,
            style,
            edited: false,
        })
    }

    fn name(&self, t: &Titles) -> Option<String> {
        if let Some((_, village)) = &self.place {
            return Some(village.clone());
        }
        self.fields
            .iter()
            .find(|(l, _)| t.is_name_label(l))
            .map(|(_, v)| v.clone())
    }

    fn parent(&self, t: &Titles) -> Option<String> {
        if let Some((town, _)) = &self.place {
            return Some(town.clone());
        }
        self.fields
            .iter()
            .find(|(l, _)| t.is_parent_label(l))
            .map(|(_, v)| v.clone())
    }

    fn line(&self, width: u16) -> Line {
        if !self.edited {
            return self.raw.clone();
        }
        let mut line = Line::default();
        let joined = |(l, v): &(String, String)| format!("{l}：{v}");
        if let Some((town, village)) = &self.place {
            match self.style {
                Style::Split => {
                    line.cells.insert(0, Val::S(town.clone()));
                    line.cells.insert(1, Val::S(village.clone()));
                    for (k, f) in self.fields.iter().enumerate() {
                        line.cells.insert(2 + k as u16, Val::S(joined(f)));
                    }
                }
                _ => {
                    let mut text = format!("{town}\u{3000}{village}");
                    for f in &self.fields {
                        text.push_str("\u{3000}\u{3000}\u{3000}");
                        text.push_str(&joined(f));
                    }
                    line = Line::spanning(&text, width);
                }
            }
            return line;
        }
        let k = self.fields.len().max(1) as u16;
        let share = (width / k).max(1);
        let last_col = |i: u16| {
            if i + 1 == k {
                width.max(1) - 1
            } else {
                i * share + share - 1
            }
        };
        match self.style {
            Style::OneCell => {
                let text: Vec<String> = self.fields.iter().map(joined).collect();
                line = Line::spanning(&text.join("    "), width);
            }
            Style::Joined => {
                for (i, f) in self.fields.iter().enumerate() {
                    let (i, at) = (i as u16, i as u16 * share);
                    line.cells.insert(at, Val::S(joined(f)));
                    if last_col(i) > at {
                        line.spans.push((at, last_col(i)));
                    }
                }
            }
            Style::Split => {
                for (i, (l, v)) in self.fields.iter().enumerate() {
                    let i = i as u16;
                    let at = if share >= 2 { i * share } else { 2 * i };
                    line.cells.insert(at, Val::S(l.clone()));
                    line.cells.insert(at + 1, Val::S(v.clone()));
                    if share >= 2 && last_col(i) > at + 1 {
                        line.spans.push((at + 1, last_col(i)));
                    }
                }
            }
        }
        line
    }
}

/// One scoring sheet: the lines above its table, the table, the lines under
/// it.
#[derive(Clone, Debug)]
struct Form {
    sheet: String,
    width: u16,
    above: Vec<Row>,
    table: Table,
    below: Vec<Row>,
    /// The table row where a second sheet begins.
    split: Option<usize>,
    offset: (u32, u16),
}

/// A sheet of the workbook: a scoring sheet, or one kept as it is (an
/// application sheet, a count sheet, instructions).
#[derive(Clone, Debug)]
enum Part {
    Form(Form),
    Kept(Sheet),
}

/// Where the branch's identity is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Host {
    /// A `Row::Identity` of the scoring sheet `parts[k]`.
    Form(usize),
    /// Row `r` of the kept sheet `parts[k]` (the application sheet 申报表).
    Kept(usize, u32),
}

/// The workbook: its sheets in order, the identity and where it is, and an
/// unrelated sheet a variant adds.
#[derive(Clone, Debug)]
struct Book {
    parts: Vec<Part>,
    identity: Identity,
    host: Host,
    /// An unrelated sheet, and whether it comes first.
    extra: Option<(bool, Sheet)>,
}

fn line_at(sheet: &Sheet, r: u32) -> Line {
    let mut spans = Vec::new();
    for m in &sheet.merges {
        if m.0 <= r && r <= m.2 {
            assert!(
                m.0 == m.2,
                "{}: a merge {} over several rows outside the table",
                sheet.name,
                rect_ref(*m)
            );
            spans.push((m.1, m.3));
        }
    }
    Line {
        cells: sheet.row(r),
        spans,
    }
}

/// A row of a kept sheet as a line (merges over several rows left out).
fn kept_line(sheet: &Sheet, r: u32) -> Line {
    Line {
        cells: sheet.row(r),
        spans: sheet
            .merges
            .iter()
            .filter(|m| m.0 == r && m.2 == r)
            .map(|m| (m.1, m.3))
            .collect(),
    }
}

/// Columns a sheet uses.
fn sheet_width(sheet: &Sheet) -> u16 {
    let cells = sheet.cells.keys().map(|k| k.1);
    let merges = sheet.merges.iter().map(|m| m.3);
    cells.chain(merges).max().map_or(1, |c| c + 1)
}

/// A continuation sheet's name without its （续）.
fn sheet_base(name: &str) -> &str {
    name.strip_suffix(CONTINUED).unwrap_or(name)
}

const CONTINUED: &str = "（续）";

fn is_title(line: &Line) -> bool {
    line.cells.len() == 1
        && line.cells.values().next().and_then(Val::text).is_some_and(|s| {
            let s = s.trim();
            (s.contains('表') || s.contains("细则")) && !s.starts_with(['（', '(']) && !s.contains(['：', ':'])
        })
}

/// The bracketed end of a title, where a level sheet names its level
/// (党支部星级达标考核评分表（三星级标准·“四有”）).
fn title_suffix(title: &str) -> &str {
    let t = title.trim();
    match t.rfind('（') {
        Some(at) if t.ends_with('）') => &t[at..],
        _ => "",
    }
}

impl Form {
    /// The scoring sheet, and the identity line above its table when `look`.
    fn parse(sheet: &Sheet, t: &Titles, look: bool) -> (Form, Option<Identity>) {
        let lay = layout(sheet, t).unwrap_or_else(|| panic!("{}: no header found", sheet.name));
        assert_eq!(lay.c0, 0, "{}: the table does not start in column A", sheet.name);
        let table = Table::at(sheet, &lay, t);
        for m in &sheet.merges {
            let inside = m.0 >= lay.head0 && m.2 <= lay.end;
            let outside = m.2 < lay.head0 || m.0 > lay.end;
            assert!(
                inside || outside,
                "{}: {} crosses the table's edge",
                sheet.name,
                rect_ref(*m)
            );
            assert!(
                !inside || m.3 <= lay.c1,
                "{}: {} right of the table",
                sheet.name,
                rect_ref(*m)
            );
        }
        for &(r, c) in sheet.cells.keys() {
            assert!(
                !(lay.head0..=lay.end).contains(&r) || c <= lay.c1,
                "{}: {} right of the table",
                sheet.name,
                cell_ref(r, c)
            );
        }
        let mut identity = None;
        let mut above = Vec::new();
        let mut titled = false;
        for r in 0..lay.head0 {
            let line = line_at(sheet, r);
            if look
                && identity.is_none()
                && let Some(id) = Identity::parse(&line, t)
            {
                identity = Some(id);
                above.push(Row::Identity);
            } else if !titled && is_title(&line) {
                titled = true;
                above.push(Row::Title(line));
            } else {
                above.push(Row::Line(line));
            }
        }
        let last = sheet.last_row().unwrap();
        let below = (lay.end + 1..=last).map(|r| Row::Line(line_at(sheet, r))).collect();
        let form = Form {
            sheet: sheet.name.clone(),
            width: table.width,
            above,
            table,
            below,
            split: None,
            offset: (0, 0),
        };
        (form, identity)
    }

    fn line(&self, row: &Row, id: &Identity) -> Line {
        match row {
            Row::Line(line) | Row::Title(line) => line.clone(),
            Row::Identity => id.line(self.width),
        }
    }

    fn title(&self) -> Option<String> {
        self.above.iter().find_map(|r| match r {
            Row::Title(line) => line.cells.values().next().map(Val::repr),
            _ => None,
        })
    }

    /// The sheets of the form: one, or two when split.
    fn render(&self, id: &Identity) -> Vec<Sheet> {
        let t = &self.table;
        let put_rows = |sheet: &mut Sheet, base: u32, rows: std::ops::Range<usize>| {
            for (k, r) in rows.clone().enumerate() {
                for (&c, v) in &t.rows[r] {
                    sheet.cells.insert((base + k as u32, c), v.clone());
                }
            }
            for m in &t.merges {
                if rows.contains(&(m.0 as usize)) && rows.contains(&(m.2 as usize)) {
                    let shift = |r: u32| base + r - rows.start as u32;
                    sheet.merges.push((shift(m.0), m.1, shift(m.2), m.3));
                }
            }
        };
        let mut first = Sheet::new(&self.sheet);
        let mut r = 0;
        for row in &self.above {
            put_line(&mut first, r, &self.line(row, id));
            r += 1;
        }
        let split = self.split.unwrap_or(t.rows.len());
        put_rows(&mut first, r, 0..split);
        r += split as u32;
        let mut sheets = vec![first];
        if self.split.is_some() {
            let mut second = Sheet::new(&format!("{}{CONTINUED}", self.sheet));
            put_rows(&mut second, 0, 0..t.head);
            put_rows(&mut second, t.head as u32, split..t.rows.len());
            // A category carried down blank cells is written again at the top
            // of the new page, as a person would.
            if let Some(cat) = t.col(Role::Category)
                && t.cell(split, cat).is_none()
                && t.cover(split, cat).is_none()
                && let Some(name) = t.categories().get(&split).filter(|s| !s.is_empty())
            {
                second.cells.insert((t.head as u32, cat), Val::S(name.clone()));
            }
            r = (t.head + t.rows.len() - split) as u32;
            sheets.push(second);
        }
        let last = sheets.last_mut().unwrap();
        for row in &self.below {
            put_line(last, r, &self.line(row, id));
            r += 1;
        }
        let (dr, dc) = self.offset;
        for sheet in &mut sheets {
            sheet.cells = std::mem::take(&mut sheet.cells)
                .into_iter()
                .map(|((r, c), v)| ((r + dr, c + dc), v))
                .collect();
            for m in &mut sheet.merges {
                *m = (m.0 + dr, m.1 + dc, m.2 + dr, m.3 + dc);
            }
            sheet.merges.sort();
        }
        sheets
    }
}

fn put_line(sheet: &mut Sheet, r: u32, line: &Line) {
    for (&c, v) in &line.cells {
        sheet.cells.insert((r, c), v.clone());
    }
    for &(c0, c1) in &line.spans {
        if c1 > c0 {
            sheet.merges.push((r, c0, r, c1));
        }
    }
}

impl Book {
    /// The sheets whose table has a header the test recognises are scoring
    /// sheets, the others are kept; the identity is the first identity line
    /// in sheet order, above a scoring sheet's table or on a kept sheet.
    fn parse(sheets: &[Sheet], t: &Titles) -> Book {
        let mut parts = Vec::new();
        let mut found: Option<(Identity, Host)> = None;
        for (k, sheet) in sheets.iter().enumerate() {
            if layout(sheet, t).is_some() {
                let (form, id) = Form::parse(sheet, t, found.is_none());
                if let Some(id) = id {
                    found = Some((id, Host::Form(k)));
                }
                parts.push(Part::Form(form));
                continue;
            }
            if found.is_none() {
                for r in 0..=sheet.last_row().unwrap_or(0) {
                    if let Some(id) = Identity::parse(&kept_line(sheet, r), t) {
                        found = Some((id, Host::Kept(k, r)));
                        break;
                    }
                }
            }
            parts.push(Part::Kept(sheet.clone()));
        }
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        let (identity, host) = found.unwrap_or_else(|| panic!("no identity line on the sheets {names:?}"));
        Book {
            parts,
            identity,
            host,
            extra: None,
        }
    }

    fn forms(&self) -> impl Iterator<Item = &Form> {
        self.parts.iter().filter_map(|p| match p {
            Part::Form(f) => Some(f),
            Part::Kept(_) => None,
        })
    }

    fn forms_mut(&mut self) -> impl Iterator<Item = &mut Form> {
        self.parts.iter_mut().filter_map(|p| match p {
            Part::Form(f) => Some(f),
            Part::Kept(_) => None,
        })
    }

    fn form_count(&self) -> usize {
        self.forms().count()
    }

    /// The workbook's sheets.
    fn render(&self) -> Vec<Sheet> {
        let mut sheets = Vec::new();
        for (k, part) in self.parts.iter().enumerate() {
            match part {
                Part::Form(form) => sheets.extend(form.render(&self.identity)),
                Part::Kept(sheet) => {
                    let mut sheet = sheet.clone();
                    if let Host::Kept(h, r) = self.host
                        && h == k
                        && self.identity.edited
                    {
                        let width = sheet_width(&sheet);
                        sheet.cells.retain(|&(row, _), _| row != r);
                        sheet.merges.retain(|m| !(m.0 <= r && r <= m.2));
                        put_line(&mut sheet, r, &self.identity.line(width));
                        sheet.merges.sort();
                    }
                    sheets.push(sheet);
                }
            }
        }
        match &self.extra {
            Some((true, extra)) => sheets.insert(0, extra.clone()),
            Some((false, extra)) => sheets.push(extra.clone()),
            None => {}
        }
        sheets
    }
}

// ---------------------------------------------------------------------------
// The transformations
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Columns,
    Merges,
    IdentityCells,
    IdentityPlace,
    Spacers,
    Footers,
    Offset,
    ExtraSheet,
    Split,
}

const KINDS: [Kind; 9] = [
    Kind::Columns,
    Kind::Merges,
    Kind::IdentityCells,
    Kind::IdentityPlace,
    Kind::Spacers,
    Kind::Footers,
    Kind::Offset,
    Kind::ExtraSheet,
    Kind::Split,
];

/// The order kinds are applied in: merges and identity on the original
/// cells, rows added before columns move, pages and position last.
const ORDER: [Kind; 9] = [
    Kind::Merges,
    Kind::IdentityCells,
    Kind::IdentityPlace,
    Kind::Footers,
    Kind::Spacers,
    Kind::Columns,
    Kind::Split,
    Kind::Offset,
    Kind::ExtraSheet,
];

impl Kind {
    fn number(self) -> usize {
        KINDS.iter().position(|k| *k == self).unwrap() + 1
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Columns => "columns reordered",
            Kind::Merges => "merges changed",
            Kind::IdentityCells => "identity label/value cells",
            Kind::IdentityPlace => "identity moved",
            Kind::Spacers => "blank and note rows",
            Kind::Footers => "footers",
            Kind::Offset => "content shifted",
            Kind::ExtraSheet => "unrelated sheet",
            Kind::Split => "split over two sheets",
        }
    }
}

/// What a variant may need to know beyond the form.
struct Context<'a> {
    titles: &'a Titles,
    scheme: &'a Scheme,
    heading: &'a str,
    /// How many scoring sheets the form has.
    sheets: usize,
    /// The branch's total and tier in the original inbox, when it was scored.
    result: Option<(f64, String)>,
}

/// A variant: the kinds it applied, each with what it did.
struct Variant {
    index: usize,
    applied: Vec<(Kind, String)>,
    sheets: Vec<Sheet>,
}

impl Variant {
    fn kinds(&self) -> Vec<Kind> {
        self.applied.iter().map(|(k, _)| *k).collect()
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = self
            .applied
            .iter()
            .map(|(k, what)| format!("{} {}: {what}", k.number(), k.label()))
            .collect();
        parts.join("; ")
    }
}

fn make_variant(original: &Book, index: usize, seed: u64, ctx: &Context) -> Variant {
    let mut rng = Rng::new(seed);
    let mut chosen: BTreeSet<Kind> = BTreeSet::new();
    if index < KINDS.len() {
        chosen.insert(KINDS[index]);
    }
    let count = if index < KINDS.len() {
        rng.range(0, 2)
    } else {
        rng.range(1, 3)
    };
    while chosen.len() < count + usize::from(index < KINDS.len()) {
        chosen.insert(*rng.pick(&KINDS));
    }
    let mut book = original.clone();
    let mut applied = Vec::new();
    for kind in ORDER {
        if !chosen.contains(&kind) {
            continue;
        }
        let rng = &mut rng;
        let done = match kind {
            Kind::Columns => each_form(&mut book, rng, |form, _, rng, _| reorder_columns(form, rng)),
            Kind::Merges => each_form(&mut book, rng, |form, _, rng, _| change_merges(form, rng, ctx)),
            Kind::IdentityCells => restyle_identity(&mut book.identity, rng),
            Kind::IdentityPlace => move_identity(&mut book, rng, ctx, chosen.contains(&Kind::Split)),
            Kind::Spacers => each_form(&mut book, rng, |form, id, rng, _| add_spacers(form, id, rng)),
            Kind::Footers => each_form(&mut book, rng, |form, id, rng, last| {
                add_footers(form, id, rng, ctx, last)
            }),
            Kind::Offset => each_form(&mut book, rng, |form, _, rng, _| shift(form, rng)),
            Kind::ExtraSheet => add_sheet(&mut book, rng),
            Kind::Split => each_form(&mut book, rng, |form, _, rng, _| split(form, rng)),
        };
        if let Some(what) = done {
            applied.push((kind, what));
        }
    }
    Variant {
        index,
        applied,
        sheets: book.render(),
    }
}

/// A change of the scoring sheets. Sheets of one workbook are filled in on
/// one template, and an office that changes the template changes each of
/// them alike: every sheet's change is drawn from the same state of the
/// generator, so that sheets of the same layout change the same way. The
/// change is told whether it is on the last scoring sheet.
fn each_form(
    book: &mut Book,
    rng: &mut Rng,
    mut change: impl FnMut(&mut Form, &Identity, &mut Rng, bool) -> Option<String>,
) -> Option<String> {
    let start = rng.clone();
    let count = book.form_count();
    let Book { parts, identity, .. } = book;
    let mut done = Vec::new();
    let mut k = 0;
    for part in parts.iter_mut() {
        let Part::Form(form) = part else {
            continue;
        };
        k += 1;
        let mut own = start.clone();
        if let Some(what) = change(form, identity, &mut own, k == count) {
            done.push(if count > 1 {
                format!("[{}] {what}", form.sheet)
            } else {
                what
            });
        }
        *rng = own;
    }
    (!done.is_empty()).then(|| done.join("; "))
}

/// Kind 1: The table's columns in another order; columns joined by a merge
/// (a two-row header's 得分 over 自评分 and 评定得分, a 减分项 over 类别 and
/// 考核项目, a 本级得分 written once over both score columns) move together;
/// a total's label merged across columns is put in the leftmost of them.
fn reorder_columns(form: &mut Form, rng: &mut Rng) -> Option<String> {
    let t = &mut form.table;
    let width = t.width as usize;
    let groups = t.groups();
    let total_row = |r: u32| {
        groups
            .iter()
            .any(|g| g.kind != GroupKind::Indicator && (g.start..=g.end).contains(&(r as usize)))
    };
    // A merge on a total's (or a result's) row that does not bind its
    // columns: the label, or a merge over no score column.
    let scores = t.score_cols();
    let loose: Vec<bool> = t
        .merges
        .iter()
        .map(|m| {
            let label = t
                .cell(m.0 as usize, m.1)
                .and_then(Val::text)
                .is_some_and(|s| Some(s) == t.label_text(m.0 as usize));
            let over_scores = (m.1..=m.3).any(|c| scores.contains(&c));
            m.0 == m.2 && total_row(m.0) && (label || !over_scores)
        })
        .collect();
    let mut block: Vec<usize> = (0..width).collect();
    for (m, &loose) in t.merges.iter().zip(&loose) {
        if m.3 > m.1 && !loose {
            let root = block[m.1 as usize];
            for c in m.1..=m.3 {
                let old = block[c as usize];
                for b in block.iter_mut() {
                    if *b == old {
                        *b = root;
                    }
                }
            }
        }
    }
    let mut blocks: Vec<Vec<u16>> = Vec::new();
    for c in 0..width {
        match blocks.last_mut() {
            Some(last) if block[last[0] as usize] == block[c] => last.push(c as u16),
            _ => blocks.push(vec![c as u16]),
        }
    }
    if blocks.len() < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    while order.iter().enumerate().all(|(i, o)| i == *o) {
        rng.shuffle(&mut order);
    }
    let mut to = vec![0u16; width];
    let mut next = 0u16;
    for &b in &order {
        for &c in &blocks[b] {
            to[c as usize] = next;
            next += 1;
        }
    }
    for row in &mut t.rows {
        *row = std::mem::take(row)
            .into_iter()
            .map(|(c, v)| (to[c as usize], v))
            .collect();
    }
    let mut merges = Vec::new();
    for (&m, &loose) in t.merges.iter().zip(&loose) {
        if !loose || m.1 == m.3 {
            merges.push((m.0, to[m.1 as usize], m.2, to[m.3 as usize]));
            continue;
        }
        // A total's label over several columns: in the leftmost of them,
        // merged over those of them that are now side by side.
        let mut at: Vec<u16> = (m.1..=m.3).map(|c| to[c as usize]).collect();
        at.sort();
        let r = m.0 as usize;
        if let Some(label) = t.rows[r].remove(&to[m.1 as usize]) {
            t.rows[r].insert(at[0], label);
        }
        let run = at.windows(2).take_while(|w| w[1] == w[0] + 1).count();
        if run > 0 {
            merges.push((m.0, at[0], m.2, at[run]));
        }
    }
    t.merges = merges;
    t.roles = t.roles.iter().map(|(c, r)| (to[*c as usize], *r)).collect();
    t.headers = t.headers.iter().map(|(c, h)| (to[*c as usize], h.clone())).collect();
    let letters: String = order
        .iter()
        .flat_map(|&b| blocks[b].iter().map(|&c| column_name(c)))
        .collect();
    Some(format!("columns in the order {letters}"))
}

/// Kind 2: Merges: indicator (and 类别) cells unmerged with the name in the first
/// row, unmerged ones merged over their rows, the score of an indicator the
/// scheme scores as one value merged over its rows; besides, a total's
/// label, a note or the title merged across or unmerged.
fn change_merges(form: &mut Form, rng: &mut Rng, ctx: &Context) -> Option<String> {
    #[derive(Clone)]
    enum Op {
        Unmerge(Rect),
        MergeGroup(usize, usize, u16),
        MergeScores(usize, usize, Vec<u16>),
        MergeLabel(usize, u16, u16),
        Span(bool, usize),
        Unspan(bool, usize),
    }
    let t = &form.table;
    let ind = t.col(Role::Indicator).unwrap();
    let cat = t.col(Role::Category);
    let groups = t.groups();
    let mut table_ops = Vec::new();
    let mut other_ops = Vec::new();
    for &m in &t.merges {
        let column = m.1 == m.3 && (m.1 == ind || Some(m.1) == cat);
        if column && m.2 > m.0 && m.0 as usize >= t.head {
            table_ops.push(Op::Unmerge(m));
        }
    }
    for g in &groups {
        let rows = g.start..=g.end;
        let free = |c: u16| rows.clone().all(|r| t.cover(r, c).is_none());
        if g.kind == GroupKind::Indicator && g.end > g.start && free(ind) {
            let same = rows
                .clone()
                .skip(1)
                .all(|r| t.cell(r, ind).is_none_or(|v| v.repr() == g.name));
            if same {
                table_ops.push(Op::MergeGroup(g.start, g.end, ind));
            }
        }
        let one_value = ctx
            .scheme
            .indicators
            .iter()
            .any(|i| indicator_key(&i.name) == indicator_key(&g.name) && i.items.is_empty());
        if g.kind == GroupKind::Indicator && g.end > g.start && one_value {
            let cols: Vec<u16> = [Role::SelfScore, Role::Assessed]
                .iter()
                .filter_map(|r| t.col(*r))
                .filter(|&c| free(c) && rows.clone().skip(1).all(|r| t.cell(r, c).is_none()))
                .collect();
            if !cols.is_empty() {
                table_ops.push(Op::MergeScores(g.start, g.end, cols));
            }
        }
        if matches!(g.kind, GroupKind::Total | GroupKind::Result) && g.start == g.end {
            let r = g.start;
            if let Some(m) = t
                .merges
                .iter()
                .find(|m| m.0 as usize == r && m.2 as usize == r && m.3 > m.1)
            {
                other_ops.push(Op::Unmerge(*m));
            } else if let Some((&c, _)) = t.rows[r].iter().next() {
                let empty = (c + 1..t.width)
                    .take_while(|&k| t.cell(r, k).is_none() && t.cover(r, k).is_none())
                    .count() as u16;
                if empty > 0 {
                    other_ops.push(Op::MergeLabel(r, c, c + empty));
                }
            }
        }
    }
    for (is_above, rows) in [(true, &form.above), (false, &form.below)] {
        for (i, row) in rows.iter().enumerate() {
            let line = match row {
                Row::Title(line) => line,
                Row::Line(line) if !is_above => line,
                _ => continue,
            };
            if line.cells.len() != 1 {
                continue;
            }
            if !line.spans.is_empty() {
                other_ops.push(Op::Unspan(is_above, i));
            } else if *line.cells.keys().next().unwrap() + 1 < form.width {
                other_ops.push(Op::Span(is_above, i));
            }
        }
    }
    let mut ops = Vec::new();
    if !table_ops.is_empty() {
        rng.shuffle(&mut table_ops);
        let n = rng.range(1, 2.min(table_ops.len()));
        ops.extend(table_ops.into_iter().take(n));
        if !other_ops.is_empty() && rng.coin() {
            ops.push(rng.pick(&other_ops).clone());
        }
    } else if !other_ops.is_empty() {
        ops.push(rng.pick(&other_ops).clone());
    } else {
        return None;
    }
    let top = form.table.top;
    let abs = |r: usize| top + r as u32;
    let mut done = Vec::new();
    for op in ops {
        let t = &mut form.table;
        match op {
            Op::Unmerge(m) => {
                t.merges.retain(|x| *x != m);
                done.push(format!(
                    "unmerged {}",
                    rect_ref((abs(m.0 as usize), m.1, abs(m.2 as usize), m.3))
                ));
            }
            Op::MergeGroup(r0, r1, c) => {
                for r in r0 + 1..=r1 {
                    t.rows[r].remove(&c);
                }
                t.merges.push((r0 as u32, c, r1 as u32, c));
                done.push(format!("merged the indicator {}", rect_ref((abs(r0), c, abs(r1), c))));
            }
            Op::MergeScores(r0, r1, cols) => {
                for &c in &cols {
                    t.merges.push((r0 as u32, c, r1 as u32, c));
                    done.push(format!("merged the score {}", rect_ref((abs(r0), c, abs(r1), c))));
                }
            }
            Op::MergeLabel(r, c0, c1) => {
                t.merges.push((r as u32, c0, r as u32, c1));
                done.push(format!(
                    "merged the total's label {}",
                    rect_ref((abs(r), c0, abs(r), c1))
                ));
            }
            Op::Span(is_above, i) | Op::Unspan(is_above, i) => {
                let rows = if is_above { &mut form.above } else { &mut form.below };
                let (Row::Title(line) | Row::Line(line)) = &mut rows[i] else {
                    unreachable!()
                };
                let what = if is_above {
                    "the title"
                } else {
                    "a line under the table"
                };
                if line.spans.is_empty() {
                    let c = *line.cells.keys().next().unwrap();
                    line.spans.push((c, form.width - 1));
                    done.push(format!("merged {what} across the table"));
                } else {
                    line.spans.clear();
                    done.push(format!("unmerged {what}"));
                }
            }
        }
    }
    Some(done.join(", "))
}

/// Kind 3: `label：value` in one cell ↔ label and value in two cells; a place
/// line's town and village in one cell ↔ in two. On whichever sheet the
/// identity is (the application sheet 申报表 too: its row 党支部名称 | … |
/// 上级党组织 | … becomes 党支部名称：… | 上级党组织：…).
fn restyle_identity(id: &mut Identity, rng: &mut Rng) -> Option<String> {
    let (to, what) = match (id.place.is_some(), id.style) {
        (true, Style::Split) => (Style::Joined, "town and village in one cell"),
        (true, _) => (Style::Split, "town and village in two cells"),
        (false, Style::Joined) => (Style::Split, "label and value in two cells"),
        (false, Style::Split) => (Style::Joined, "label：value in one cell"),
        (false, Style::OneCell) => {
            if rng.coin() {
                (Style::Split, "each field's label and value in two cells")
            } else {
                (Style::Joined, "each field in a cell of its own")
            }
        }
    };
    id.style = to;
    id.edited = true;
    Some(what.to_string())
}

/// Kind 4: The identity below the table, or the branch's name in the title
/// (the parent kept as a labelled line). The name goes into the title of
/// every scoring sheet, and a title that ends by naming its part
/// (（三星级标准·“四有”）) keeps that end (`{level}` in the heading). An
/// identity on another sheet (申报表) only goes into the titles: moved under
/// a level sheet's table it would name one level's sheet only.
fn move_identity(book: &mut Book, rng: &mut Rng, ctx: &Context, splitting: bool) -> Option<String> {
    let from = match book.host {
        Host::Form(k) => {
            let below = !splitting && rng.coin();
            let Part::Form(form) = &mut book.parts[k] else {
                unreachable!()
            };
            let at = form.above.iter().position(|r| matches!(r, Row::Identity))?;
            if below {
                form.above.remove(at);
                form.below.insert(0, Row::Identity);
                return Some("identity line right under the table".into());
            }
            None
        }
        Host::Kept(k, _) => {
            let Part::Kept(sheet) = &book.parts[k] else {
                unreachable!()
            };
            Some(sheet.name.clone())
        }
    };
    let id = &mut book.identity;
    let name = id.name(ctx.titles)?;
    if let Some((town, _)) = id.place.take() {
        id.fields.insert(0, ("所属党组织".into(), town));
    } else {
        id.fields.retain(|(l, _)| !ctx.titles.is_name_label(l));
    }
    id.edited = true;
    if id.fields.is_empty()
        && let Host::Form(k) = book.host
        && let Part::Form(form) = &mut book.parts[k]
    {
        form.above.retain(|r| !matches!(r, Row::Identity));
    }
    let mut headings = Vec::new();
    for form in book.forms_mut() {
        let level = form.title().map(|t| title_suffix(&t).to_string()).unwrap_or_default();
        let heading = ctx.heading.replace("{name}", &name).replace("{level}", &level);
        match form.above.iter_mut().find(|r| matches!(r, Row::Title(_))) {
            Some(Row::Title(line)) => {
                let c = *line.cells.keys().next().unwrap();
                line.cells.insert(c, Val::S(heading.clone()));
            }
            _ => form.above.insert(0, Row::Title(Line::spanning(&heading, form.width))),
        }
        headings.push(format!("「{heading}」"));
    }
    let from = from.map(|s| format!(" on {s}")).unwrap_or_default();
    let titles = if headings.len() > 1 { "titles" } else { "title" };
    Some(format!(
        "name in the {titles} {}, its label removed{from}",
        headings.join(" ")
    ))
}

const NOTES: [&str; 4] = [
    "填表说明：请如实填写",
    "注：请用黑色签字笔填写",
    "说明：本表一式两份",
    "填表说明：分数保留一位小数",
];

/// Where a line may go under the table: not inside a block of rows of
/// several cells (the 一票否决 items under their header).
fn insertion_points(rows: &[Row], form: &Form, id: &Identity) -> Vec<usize> {
    let tabular = |i: usize| form.line(&rows[i], id).cells.len() >= 2;
    (0..=rows.len())
        .filter(|&i| i == 0 || i == rows.len() || !(tabular(i - 1) && tabular(i)))
        .collect()
}

/// Where a line may go above the header: not next to a block of rows of
/// several cells (the 否决条件 block of a level sheet: its caption, header,
/// items and the note under them stay together).
fn points_above(rows: &[Row]) -> Vec<usize> {
    let tabular = |i: usize| matches!(rows.get(i), Some(Row::Line(line)) if line.cells.len() >= 2);
    (0..=rows.len())
        .filter(|&i| !tabular(i) && (i == 0 || !tabular(i - 1)))
        .collect()
}

/// Kind 5: Blank rows and notes above the header and under the table.
fn add_spacers(form: &mut Form, id: &Identity, rng: &mut Rng) -> Option<String> {
    let mut done = Vec::new();
    for above in [true, false] {
        for _ in 0..rng.range(1, 2) {
            let line = if rng.below(5) < 2 {
                Line::default()
            } else {
                let note = *rng.pick(&NOTES);
                if rng.coin() {
                    Line::spanning(note, form.width)
                } else {
                    Line::text(note)
                }
            };
            let what = if line.is_blank() {
                "a blank row".to_string()
            } else {
                format!("「{}」", line.cells[&0].repr())
            };
            if above {
                let points = points_above(&form.above);
                let at = *rng.pick(&points);
                form.above.insert(at, Row::Line(line));
                done.push(format!("{what} above the header"));
            } else {
                let points = insertion_points(&form.below, form, id);
                let at = *rng.pick(&points);
                form.below.insert(at, Row::Line(line));
                done.push(format!("{what} under the table"));
            }
        }
    }
    Some(done.join(", "))
}

/// The label of the row a variant adds under the table.
const ADDED: &str = "综合考评得分";

/// Whether 80 is a line the scheme draws (a tier's minimum, a medal at 80 %,
/// a level passed at 80 of 100), so that 「通过线：80分」 says nothing new.
fn draws_80(scheme: &Scheme) -> bool {
    let max = |name: &str| {
        scheme
            .indicators
            .iter()
            .find(|i| *i.name == *name)
            .map_or(0.0, |i| i.max)
    };
    scheme.tiers.iter().any(|t| {
        t.min == Some(80.0)
            || t.level.as_ref().is_some_and(|l| {
                let full: f64 = l.indicators.iter().map(|n| max(n)).sum();
                l.share.is_some_and(|s| (s * full - 80.0).abs() < 1e-9)
            })
    }) || scheme.medals.iter().any(|m| m.share == 0.8)
}

/// Kind 6: Lines under the table: the total again (综合考评得分), the tier, a pass
/// mark, a signature, the formula of the total; 合计 renamed 总计 or 总分.
/// Only what the form and the scheme already say: the total again where the
/// form has one sheet and does not write it already, the tier (评定星级, or
/// 评定等次 for tiers that are no stars) under the last scoring sheet only,
/// the pass mark where 80 is a line of the scheme, the formula where the
/// total is the plain sum of the assessed scores.
fn add_footers(form: &mut Form, id: &Identity, rng: &mut Rng, ctx: &Context, last: bool) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Footer {
        Composite,
        Tier,
        PassMark,
        Signature,
        Formula,
        Rename,
    }
    let mut all = [
        Footer::Composite,
        Footer::Tier,
        Footer::PassMark,
        Footer::Signature,
        Footer::Formula,
        Footer::Rename,
    ];
    rng.shuffle(&mut all);
    let count = rng.range(1, 3);
    let rename_to = *rng.pick(&["总计", "总分"]);
    let signature = *rng.pick(&[
        "党支部书记（签字）：",
        "党支部书记（签字）：　　　　　　　　审核人（签字）：",
    ]);
    let t = &form.table;
    let assessed = t.col(Role::Assessed).unwrap();
    let groups = t.groups();
    let total = groups.iter().find(|g| g.kind == GroupKind::Total);
    let plain_sum = ctx.scheme.parts.is_empty() && ctx.scheme.score_columns.is_none();
    // The form's own total where it is the whole score, else the score the
    // original inbox gave.
    let written_total = total
        .filter(|_| plain_sum)
        .and_then(|g| match t.cell(g.start, assessed) {
            Some(Val::N(n)) => Some(*n),
            _ => None,
        });
    let composite = written_total.or(ctx.result.as_ref().map(|r| r.0));
    let restated = groups
        .iter()
        .any(|g| g.kind == GroupKind::Result && norm(&g.name).starts_with(ADDED));
    let usable = |f: &Footer| match f {
        Footer::Composite => composite.is_some() && ctx.sheets == 1 && !restated,
        Footer::Tier => ctx.result.is_some() && last,
        Footer::Formula => plain_sum,
        Footer::Rename => total.is_some_and(|g| norm(&g.name).starts_with("合计")),
        Footer::PassMark => draws_80(ctx.scheme),
        Footer::Signature => true,
    };
    let chosen: Vec<Footer> = all.iter().copied().filter(usable).take(count).collect();
    let mut done = Vec::new();
    let mut lines = Vec::new();
    for footer in chosen {
        match footer {
            Footer::Composite => {
                let label_col = total
                    .and_then(|g| form.table.rows[g.start].keys().next().copied())
                    .unwrap_or_else(|| form.table.col(Role::Indicator).unwrap());
                let value = composite.unwrap();
                let mut row = BTreeMap::new();
                row.insert(label_col, Val::S(ADDED.into()));
                row.insert(assessed, Val::N(value));
                form.table.rows.push(row);
                done.push(format!("a row {ADDED} {value}"));
            }
            Footer::Tier => {
                let tier = &ctx.result.as_ref().unwrap().1;
                let label = if tier.contains('星') {
                    "评定星级"
                } else {
                    "评定等次"
                };
                lines.push(format!("{label}：{tier}"));
            }
            Footer::PassMark => lines.push("通过线：80分".into()),
            Footer::Signature => lines.push(signature.into()),
            Footer::Formula => lines.push("总分＝各项得分之和".into()),
            Footer::Rename => {
                let g = total.unwrap();
                let t = &mut form.table;
                let (c, v) = t.rows[g.start]
                    .iter_mut()
                    .find(|(_, v)| v.text().is_some_and(|s| norm(s).starts_with("合计")))
                    .unwrap();
                // 合计 or 合　　计: its two characters replaced, the spacing kept.
                let mut new = rename_to.chars();
                let renamed: String = v
                    .text()
                    .unwrap()
                    .trim()
                    .chars()
                    .map(|ch| match ch {
                        '合' | '计' => new.next().unwrap_or(ch),
                        _ => ch,
                    })
                    .collect();
                done.push(format!(
                    "{} renamed 「{renamed}」",
                    cell_ref(t.top + g.start as u32, *c)
                ));
                *v = Val::S(renamed);
            }
        }
    }
    for text in lines {
        let points = insertion_points(&form.below, form, id);
        let at = *rng.pick(&points);
        done.push(format!("「{text}」 under the table"));
        form.below.insert(at, Row::Line(Line::text(&text)));
    }
    (!done.is_empty()).then(|| done.join(", "))
}

/// Kind 7: Everything 1–5 rows down and 1–3 columns right (every scoring
/// sheet alike; the kept sheets stay where they are).
fn shift(form: &mut Form, rng: &mut Rng) -> Option<String> {
    form.offset = (rng.range(1, 5) as u32, rng.range(1, 3) as u16);
    Some(format!("{} rows down, {} columns right", form.offset.0, form.offset.1))
}

/// Kind 8: An unrelated sheet first or last in the workbook, named so that
/// no sheet's name is taken twice.
fn add_sheet(book: &mut Book, rng: &mut Rng) -> Option<String> {
    let taken: BTreeSet<String> = book.render().into_iter().map(|s| s.name).collect();
    let name = ["填表说明", "填报要求"].into_iter().find(|n| !taken.contains(*n))?;
    let mut sheet = Sheet::new(name);
    let lines = [
        name,
        "一、请按表中各项如实填写，分数保留一位小数。",
        "二、表格填好后请于规定时间内报送。",
        "三、如有疑问，请与组织科联系。",
    ];
    for (r, line) in lines.iter().enumerate() {
        sheet.cells.insert((r as u32, 0), Val::S(line.to_string()));
    }
    let first = rng.coin();
    book.extra = Some((first, sheet));
    Some(format!(
        "a sheet {name} {} the form",
        if first { "before" } else { "after" }
    ))
}

/// Kind 9: The first indicators on the first sheet (with the identity and the
/// header), the rest on a second sheet under the header repeated; only
/// between indicators, and not through a merge.
fn split(form: &mut Form, rng: &mut Rng) -> Option<String> {
    let t = &form.table;
    let groups = t.groups();
    let indicators: Vec<&Group> = groups.iter().filter(|g| g.kind == GroupKind::Indicator).collect();
    let points: Vec<usize> = indicators
        .iter()
        .skip(1)
        .map(|g| g.start)
        .filter(|&s| !t.merges.iter().any(|m| (m.0 as usize) < s && s <= m.2 as usize))
        .collect();
    if points.is_empty() {
        return None;
    }
    let at = *rng.pick(&points);
    form.split = Some(at);
    let name = groups
        .iter()
        .find(|g| g.start == at)
        .map(|g| g.name.clone())
        .unwrap_or_default();
    Some(format!("second sheet from 「{name}」"))
}

// ---------------------------------------------------------------------------
// The generator's own check: the variant read back as a careful person would
// ---------------------------------------------------------------------------

#[derive(Debug, PartialEq)]
struct ReadRow {
    /// The scoring sheet, a continuation read as the sheet it continues.
    sheet: String,
    group: String,
    category: String,
    cells: BTreeMap<String, String>,
}

/// The table rows of a workbook's scoring sheets (a second sheet continues
/// the first), with indicator and category carried down.
fn read_rows(sheets: &[Sheet], t: &Titles) -> Result<Vec<ReadRow>, String> {
    let mut out = Vec::new();
    let mut seen = false;
    for sheet in sheets {
        let Some(lay) = layout(sheet, t) else {
            continue;
        };
        seen = true;
        let table = Table::at(sheet, &lay, t);
        if table.col(Role::Indicator).is_none() {
            return Err(format!("{}: no indicator column", sheet.name));
        }
        let categories = table.categories();
        let cat = table.col(Role::Category);
        let ind = table.col(Role::Indicator);
        for g in table.groups() {
            if g.kind == GroupKind::Added {
                continue;
            }
            for r in g.start..=g.end {
                if table.blank(r) {
                    continue;
                }
                let mut cells = BTreeMap::new();
                for (&c, v) in &table.rows[r] {
                    if Some(c) == ind || Some(c) == cat {
                        continue;
                    }
                    if g.kind != GroupKind::Indicator && v.repr() == g.name {
                        continue;
                    }
                    let mut key = table.headers[&c].clone();
                    while cells.contains_key(&key) {
                        key.push('#');
                    }
                    cells.insert(key, v.repr());
                }
                let (group, category) = match g.kind {
                    GroupKind::Total => ("合计".to_string(), String::new()),
                    GroupKind::Bonus | GroupKind::Result => (g.name.clone(), String::new()),
                    _ => (g.name.clone(), categories.get(&r).cloned().unwrap_or_default()),
                };
                out.push(ReadRow {
                    sheet: sheet_base(&sheet.name).to_string(),
                    group,
                    category,
                    cells,
                });
            }
        }
    }
    if !seen {
        return Err("no table found".into());
    }
    Ok(out)
}

/// Texts outside the tables of a workbook, by sheet.
fn outside_texts(sheets: &[Sheet], t: &Titles) -> Vec<(usize, u32, Line)> {
    let mut out = Vec::new();
    for (k, sheet) in sheets.iter().enumerate() {
        let lay = layout(sheet, t);
        let last = sheet.last_row().unwrap_or(0);
        for r in 0..=last {
            if lay.as_ref().is_some_and(|l| (l.head0..=l.end).contains(&r)) {
                continue;
            }
            let mut line = Line {
                cells: sheet.row(r),
                spans: Vec::new(),
            };
            if line.cells.is_empty() {
                continue;
            }
            // Lines as the test reads them: from their first column.
            let first = *line.cells.keys().next().unwrap();
            line.cells = line.cells.into_iter().map(|(c, v)| (c - first, v)).collect();
            out.push((k, r, line));
        }
    }
    out
}

/// Checks that a variant says what the original says.
fn check_variant(original: &[Sheet], variant: &[Sheet], book: &Book, t: &Titles) -> Result<(), String> {
    let want = read_rows(original, t)?;
    let got = read_rows(variant, t)?;
    if want.len() != got.len() {
        return Err(format!(
            "{} table rows read back, {} in the original",
            got.len(),
            want.len()
        ));
    }
    for (k, (w, g)) in want.iter().zip(&got).enumerate() {
        if w != g {
            return Err(format!("table row {k} reads {g:?}, the original {w:?}"));
        }
    }
    // The identity: on any sheet, never on a continuation sheet.
    let name = book.identity.name(t).unwrap();
    let parent = book.identity.parent(t);
    let lines = outside_texts(variant, t);
    let is_form = |k: usize| layout(&variant[k], t).is_some();
    let mut named = false;
    let mut parented = parent.is_none();
    for (k, _, line) in &lines {
        let texts: Vec<&str> = line.cells.values().filter_map(Val::text).collect();
        if variant[*k].name.ends_with(CONTINUED) && texts.iter().any(|s| s.contains(&name)) {
            return Err(format!("the branch's name on sheet {}", variant[*k].name));
        }
        if let Some(id) = Identity::parse(line, t) {
            named |= id.name(t).as_deref() == Some(name.as_str());
            parented |= id.parent(t) == parent;
        }
        if is_form(*k) && line.cells.len() == 1 && texts.iter().any(|s| s.contains(&name) && is_title(line)) {
            named = true;
        }
    }
    if !named || !parented {
        return Err(format!("identity lost: name found {named}, parent found {parented}"));
    }
    // Every note, signature and 一票否决 line of the original is still there.
    let kept: BTreeSet<String> = lines
        .iter()
        .flat_map(|(_, _, l)| l.cells.values().map(Val::repr).collect::<Vec<_>>())
        .collect();
    for (_, _, line) in outside_texts(original, t) {
        if Identity::parse(&line, t).is_some() || is_title(&line) {
            continue;
        }
        for v in line.cells.values() {
            if !kept.contains(&v.repr()) {
                return Err(format!("「{}」 is missing", v.repr()));
            }
        }
    }
    // The other sheets as they were, in the same order, but for the
    // identity's row.
    let kept_sheets: Vec<(usize, &Sheet)> = book
        .parts
        .iter()
        .enumerate()
        .filter_map(|(k, p)| match p {
            Part::Kept(sheet) => Some((k, sheet)),
            Part::Form(_) => None,
        })
        .collect();
    let mut after = 0;
    for (k, sheet) in kept_sheets {
        let Some(at) = variant.iter().position(|s| s.name == sheet.name) else {
            return Err(format!("sheet {} is missing", sheet.name));
        };
        if at < after {
            return Err(format!("sheet {} out of its place", sheet.name));
        }
        after = at;
        let skip = match book.host {
            Host::Kept(h, r) if h == k => Some(r),
            _ => None,
        };
        let cells = |s: &Sheet| -> Vec<((u32, u16), Val)> {
            s.cells
                .iter()
                .filter(|(at, _)| Some(at.0) != skip)
                .map(|(at, v)| (*at, v.clone()))
                .collect()
        };
        let merges = |s: &Sheet| -> Vec<Rect> {
            s.merges
                .iter()
                .filter(|m| skip.is_none_or(|r| !(m.0 <= r && r <= m.2)))
                .copied()
                .collect()
        };
        if cells(sheet) != cells(&variant[at]) || merges(sheet) != merges(&variant[at]) {
            return Err(format!("sheet {} is not kept as it was", sheet.name));
        }
    }
    // A form of several scoring sheets names each sheet's part at the end of
    // its title: a variant keeps it.
    if book.form_count() > 1 {
        for form in book.forms() {
            let Some(title) = form.title() else {
                continue;
            };
            let level = title_suffix(&title);
            let sheet = variant.iter().find(|s| s.name == form.sheet);
            let says = sheet.is_some_and(|s| s.cells.values().any(|v| v.text().is_some_and(|x| x.contains(level))));
            if !level.is_empty() && !says {
                return Err(format!("sheet {}: its title lost 「{level}」", form.sheet));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Evaluating and comparing
// ---------------------------------------------------------------------------

/// What the comparison looks at.
#[derive(Debug, Clone)]
struct Scored {
    tier: String,
    total: Option<f64>,
    indicators: Vec<(String, f64)>,
    bonus: f64,
    vetoed: Vec<String>,
}

fn scored(eval: &Evaluation, name: &str) -> Option<Scored> {
    let b = eval.branches.iter().find(|b| b.identity.name == name)?;
    Some(Scored {
        tier: b
            .tier
            .map(|t| eval.schemes.branch.tier(t).name.clone())
            .unwrap_or_else(|| "待核实".into()),
        total: b.total,
        indicators: b.indicators.iter().map(|i| (i.name.to_string(), i.score)).collect(),
        bonus: b.bonus,
        vetoed: b.vetoed.clone(),
    })
}

fn errors(eval: &Evaluation) -> Vec<(String, String, String)> {
    eval.issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.file.clone(), i.message.clone(), i.to_string()))
        .collect()
}

/// The first difference, if any.
fn compare(want: &Scored, got: &Scored) -> Option<String> {
    if want.tier != got.tier {
        return Some(format!("tier {} → {}", want.tier, got.tier));
    }
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => a == b || (a - b).abs() < 1e-9,
        (a, b) => a.is_none() && b.is_none(),
    };
    if !close(want.total, got.total) {
        return Some(format!("total {:?} → {:?}", want.total, got.total));
    }
    if want.indicators.len() != got.indicators.len() {
        return Some(format!(
            "{} indicators → {}",
            want.indicators.len(),
            got.indicators.len()
        ));
    }
    for ((wn, ws), (gn, gs)) in want.indicators.iter().zip(&got.indicators) {
        if wn != gn || !close(Some(*ws), Some(*gs)) {
            return Some(format!("indicator {wn} {ws} → {gn} {gs}"));
        }
    }
    if !close(Some(want.bonus), Some(got.bonus)) {
        return Some(format!("bonus {} → {}", want.bonus, got.bonus));
    }
    if want.vetoed != got.vetoed {
        return Some(format!("vetoed {:?} → {:?}", want.vetoed, got.vetoed));
    }
    None
}

/// The inbox with this form (the original file, or sheets written out),
/// evaluated.
/// A variant's file: the form's, always an .xlsx (an .xls or .ods form's
/// variant is written as .xlsx, as an office saving it again would).
fn variant_file(form: &str) -> String {
    let ext = Path::new(form).extension().map_or(0, |e| e.len() + 1);
    format!("{}.xlsx", &form[..form.len() - ext])
}

fn evaluate(case: &Case, form: Option<&[Sheet]>) -> Evaluation {
    let dir = tempfile::tempdir().unwrap();
    for rel in &case.others {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(case.inbox.join(rel), to).unwrap();
    }
    match form {
        Some(sheets) => write_workbook(&dir.path().join(variant_file(&case.form)), sheets),
        None => {
            let to = dir.path().join(&case.form);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(case.inbox.join(&case.form), &to).unwrap();
        }
    }
    let schemes = Schemes::with_branch(&case.scheme).unwrap();
    starsheet::evaluate(&Plan::new(dir.path(), schemes)).unwrap()
}

/// The original inbox's result for the branch, and whether it can be the
/// reference (it cannot while the reader does not score the original).
struct Baseline {
    name: String,
    /// The branch as the original inbox left it (待核实 included).
    scored: Option<Scored>,
    /// Why the original is no reference.
    unusable: Option<String>,
    errors: BTreeSet<(String, String)>,
}

fn baseline(case: &Case, name: &str) -> Baseline {
    let eval = evaluate(case, None);
    let errs = errors(&eval);
    let own: Vec<&String> = errs.iter().filter(|e| e.0 == case.form).map(|e| &e.2).collect();
    let scored = scored(&eval, name);
    let unusable = match &scored {
        None => Some(format!("branch {name} not read")),
        Some(s) if s.tier == "待核实" || s.total.is_none() => Some(format!(
            "held back (待核实): {}",
            own.first().map_or("no error on the form", |s| s.as_str())
        )),
        Some(_) => own.first().map(|e| format!("error on the form: {e}")),
    };
    Baseline {
        name: name.to_string(),
        scored,
        unusable,
        errors: errs.into_iter().map(|(f, m, _)| (f, m)).collect(),
    }
}

/// The inbox with the form written from `sheets`: `Ok` when the branch comes
/// out as in the original inbox with no new error, else the first
/// difference.
fn judge(case: &Case, base: &Baseline, sheets: &[Sheet]) -> Result<(), String> {
    let eval = evaluate(case, Some(sheets));
    // The variant's file stands for the form's.
    let file = variant_file(&case.form);
    let new: Vec<String> = errors(&eval)
        .into_iter()
        .map(|(f, m, shown)| (if f == file { case.form.clone() } else { f }, m, shown))
        .filter(|(f, m, _)| !base.errors.contains(&(f.clone(), m.clone())))
        .map(|(_, _, shown)| shown)
        .collect();
    let diff = match (&base.scored, scored(&eval, &base.name)) {
        (Some(want), Some(got)) => compare(want, &got),
        (None, None) => None,
        (Some(_), None) => {
            let read: Vec<&str> = eval.branches.iter().map(|b| b.identity.name.as_str()).collect();
            Some(format!("branch {} not read (branches: {})", base.name, read.join("、")))
        }
        (None, Some(_)) => Some(format!("branch {} read, not in the original", base.name)),
    };
    match (diff, new.first()) {
        (None, None) => Ok(()),
        (Some(d), Some(e)) => Err(format!("{d}; new error: {e}")),
        (Some(d), None) => Err(d),
        (None, Some(e)) => Err(format!("new error: {e}")),
    }
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

struct Outcome {
    case: usize,
    variant: Variant,
    generator: Result<(), String>,
    result: Result<(), String>,
}

#[test]
fn layout_variations_score_as_the_original() {
    let cases = cases();
    let dump = std::env::var_os("STARSHEET_VARIANTS_DIR").map(PathBuf::from);
    eprintln!(
        "layout variations: seed {SEED}, {VARIANTS} variants of each of {} forms",
        cases.len()
    );

    // Each form, its model, and the original inbox's result.
    struct Prepared {
        original: Vec<Sheet>,
        form: Book,
        titles: Titles,
        scheme: Scheme,
        base: Baseline,
        round_trip: Result<(), String>,
    }
    let prepared: Vec<Prepared> = cases
        .par_iter()
        .map(|case| {
            let titles = Titles::load(&case.scheme);
            let original = read_workbook(&case.inbox.join(&case.form));
            let form = Book::parse(&original, &titles);
            let name = form
                .identity
                .name(&titles)
                .unwrap_or_else(|| panic!("{}: no branch name", case.id));
            let scheme = Schemes::with_branch(&case.scheme).unwrap().branch;
            let base = baseline(case, &name);
            // The form written back unchanged must score as the file.
            let same = form.render();
            let round_trip = check_variant(&original, &same, &form, &titles).and_then(|()| judge(case, &base, &same));
            Prepared {
                original,
                form,
                titles,
                scheme,
                base,
                round_trip,
            }
        })
        .collect();

    let jobs: Vec<(usize, usize)> = (0..cases.len())
        .flat_map(|c| (0..VARIANTS).map(move |v| (c, v)))
        .collect();
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|&(c, v)| {
            let (case, p) = (&cases[c], &prepared[c]);
            let ctx = Context {
                titles: &p.titles,
                scheme: &p.scheme,
                heading: case.heading,
                sheets: p.form.form_count(),
                result: match (&p.base.unusable, &p.base.scored) {
                    (None, Some(s)) => s.total.map(|total| (total, s.tier.clone())),
                    _ => None,
                },
            };
            let seed = Rng::new(SEED ^ fnv(&case.id)).next() ^ (v as u64).wrapping_mul(0x9E37_79B9);
            let variant = make_variant(&p.form, v, seed, &ctx);
            let generator = check_variant(&p.original, &variant.sheets, &p.form, &p.titles);
            let result = match (&generator, &p.base.unusable) {
                (Err(e), _) => Err(format!("generator: {e}")),
                (Ok(()), Some(why)) => Err(format!("original not scored: {why}")),
                (Ok(()), None) => judge(case, &p.base, &variant.sheets),
            };
            Outcome {
                case: c,
                variant,
                generator,
                result,
            }
        })
        .collect();

    if let Some(dir) = &dump {
        for (c, case) in cases.iter().enumerate() {
            let id = case.id.replace('/', "_");
            let folder = dir.join(id.rsplit_once('.').map_or(id.as_str(), |(stem, _)| stem));
            let mut list = String::new();
            write_workbook(&folder.join("00 unchanged.xlsx"), &prepared[c].form.render());
            for o in outcomes.iter().filter(|o| o.case == c) {
                let kinds: Vec<String> = o.variant.kinds().iter().map(|k| k.number().to_string()).collect();
                let file = format!("{:02} kinds {}.xlsx", o.variant.index + 1, kinds.join("+"));
                write_workbook(&folder.join(&file), &o.variant.sheets);
                let verdict = match &o.result {
                    Ok(()) => "pass".to_string(),
                    Err(e) => format!("FAIL {e}"),
                };
                writeln!(list, "{file}\n  {}\n  {verdict}", o.variant.describe()).unwrap();
            }
            std::fs::write(folder.join("variants.txt"), list).unwrap();
        }
        eprintln!("variants written under {}", dir.display());
    }

    // The report.
    let mut failed_forms = 0;
    let mut generator_faults = Vec::new();
    let mut unused = Vec::new();
    #[derive(Default)]
    struct KindStats {
        with: usize,
        failing: usize,
        alone: usize,
        alone_failing: usize,
        messages: BTreeMap<String, usize>,
    }
    let mut by_kind: BTreeMap<Kind, KindStats> = BTreeMap::new();
    let mut table = String::new();
    for (c, case) in cases.iter().enumerate() {
        let p = &prepared[c];
        let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.case == c).collect();
        let passing = mine.iter().filter(|o| o.result.is_ok()).count();
        let used: BTreeSet<Kind> = mine.iter().flat_map(|o| o.variant.kinds()).collect();
        for kind in KINDS {
            if !used.contains(&kind) {
                unused.push(format!(
                    "{}: kind {} ({}) never applied",
                    case.id,
                    kind.number(),
                    kind.label()
                ));
            }
        }
        eprintln!("\n[{}] variants made {}, passing {}", case.id, mine.len(), passing);
        if let Some(why) = &p.base.unusable {
            eprintln!("  every variant fails: the original itself is not scored by the reader: {why}");
        }
        if let Err(e) = &p.round_trip {
            eprintln!("  GENERATOR: the form written back unchanged differs: {e}");
            generator_faults.push(format!("{}: round trip: {e}", case.id));
        }
        writeln!(table, "  {} {:>4} {:>7}", pad(&case.id, 60), mine.len(), passing).unwrap();
        if passing < mine.len() || p.round_trip.is_err() {
            failed_forms += 1;
        }
        let name = p.form.identity.name(&p.titles).unwrap_or_default();
        let parent = p.form.identity.parent(&p.titles).unwrap_or_default();
        let stem = Path::new(&case.form).file_stem().unwrap().to_str().unwrap();
        let words = [
            (stem, "‹file›"),
            (name.as_str(), "‹branch›"),
            (parent.as_str(), "‹parent›"),
        ];
        for o in &mine {
            if let Err(e) = &o.generator {
                generator_faults.push(format!("{} #{:02}: {e}", case.id, o.variant.index + 1));
            }
            if p.base.unusable.is_some() {
                continue;
            }
            let kinds = o.variant.kinds();
            for &kind in &kinds {
                let stats = by_kind.entry(kind).or_default();
                stats.with += 1;
                stats.alone += usize::from(kinds.len() == 1);
                if let Err(e) = &o.result {
                    stats.failing += 1;
                    stats.alone_failing += usize::from(kinds.len() == 1);
                    *stats.messages.entry(message_kind(e, &words)).or_default() += 1;
                }
            }
            if let Err(e) = &o.result {
                eprintln!("  #{:02} [{}]\n      {e}", o.variant.index + 1, o.variant.describe());
            }
        }
    }
    eprintln!("\n  {} {:>4} {:>7}\n{table}", pad("form", 60), "made", "passing");
    eprintln!("by kind, over the forms whose original is scored (the messages of the failing variants with it):");
    for (kind, stats) in &by_kind {
        eprintln!(
            "  {} {}: in {} variants, {} failing; alone in {}, {} failing",
            kind.number(),
            kind.label(),
            stats.with,
            stats.failing,
            stats.alone,
            stats.alone_failing
        );
        let mut messages: Vec<(&String, &usize)> = stats.messages.iter().collect();
        messages.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (m, count) in messages.iter().take(8) {
            eprintln!("      {count:>3} × {m}");
        }
    }
    eprintln!("seed {SEED}");
    assert!(
        generator_faults.is_empty(),
        "the generator is wrong:\n{}",
        generator_faults.join("\n")
    );
    assert!(unused.is_empty(), "{}", unused.join("\n"));
    assert_eq!(
        failed_forms,
        0,
        "{failed_forms} of {} forms have failing variants (seed {SEED})",
        cases.len()
    );
}

/// Text padded to a width, a CJK character counting two.
fn pad(text: &str, width: usize) -> String {
    let shown: usize = text.chars().map(|c| if (c as u32) < 0x2E80 { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// A failure without its file, sheet, cell, figures and the branch's own
/// words, to group alike ones.
fn message_kind(text: &str, words: &[(&str, &str)]) -> String {
    let mut text = match text.find("new error: ") {
        Some(at) if !text.starts_with("new error") => text[at..].to_string(),
        _ => text.to_string(),
    };
    for (word, with) in words {
        if !word.is_empty() {
            text = text.replace(word, with);
        }
    }
    // The file › sheet › cell of an issue.
    if let Some(colon) = text.find('：')
        && text[..colon].contains('›')
        && let Some(bracket) = text.find(']')
    {
        text = format!("{} {}", &text[..=bracket], &text[colon + '：'.len_utf8()..]);
    }
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_digit() || (ch == '.' && out.ends_with('#')) {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(ch);
        }
    }
    out
}
