//! Helpers: build small forms and registers in code, run the library on a
//! temporary inbox, read output sheets back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::{Format, Workbook};
use sha2::{Digest, Sha256};
use starsheet::results::Assessment;
use starsheet::scheme::{Scheme, Schemes};
use starsheet::{Evaluation, Plan};

/// A cell value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Text.
    S(String),
    /// Number.
    N(f64),
    /// Boolean.
    B(bool),
}

impl From<&str> for V {
    fn from(s: &str) -> V {
        V::S(s.to_string())
    }
}

impl From<f64> for V {
    fn from(n: f64) -> V {
        V::N(n)
    }
}

/// A sheet to write: cells and vertical merges.
#[derive(Debug, Clone, Default)]
pub struct SheetSpec {
    pub name: String,
    pub cells: Vec<(u32, u16, V)>,
    pub merges: Vec<(u32, u16, u32, u16)>,
    pub hidden: bool,
}

impl SheetSpec {
    pub fn new(name: &str) -> SheetSpec {
        SheetSpec {
            name: name.to_string(),
            ..Default::default()
        }
    }

    pub fn set(&mut self, row: u32, col: u16, v: impl Into<V>) -> &mut SheetSpec {
        self.cells.retain(|(r, c, _)| (*r, *c) != (row, col));
        self.cells.push((row, col, v.into()));
        self
    }

    pub fn clear(&mut self, row: u32, col: u16) -> &mut SheetSpec {
        self.cells.retain(|(r, c, _)| (*r, *c) != (row, col));
        self
    }
}

/// Writes sheets to an .xlsx file.
pub fn write_xlsx(path: &Path, sheets: &[SheetSpec]) {
    let mut wb = Workbook::new();
    for spec in sheets {
        let ws = wb.add_worksheet().set_name(&spec.name).unwrap();
        let merged: Vec<&(u32, u16, u32, u16)> = spec.merges.iter().collect();
        for (r, c, v) in &spec.cells {
            if merged.iter().any(|m| m.0 == *r && m.1 == *c) {
                continue;
            }
            match v {
                V::S(s) => ws.write_string(*r, *c, s).unwrap(),
                V::N(n) => ws.write_number(*r, *c, *n).unwrap(),
                V::B(b) => ws.write_boolean(*r, *c, *b).unwrap(),
            };
        }
        for &(r0, c0, r1, c1) in &spec.merges {
            let text = match spec.cells.iter().find(|(r, c, _)| (*r, *c) == (r0, c0)) {
                Some((_, _, V::S(s))) => s.clone(),
                Some((_, _, V::N(n))) => n.to_string(),
                _ => String::new(),
            };
            ws.merge_range(r0, c0, r1, c1, &text, &Format::new()).unwrap();
        }
        if spec.hidden {
            ws.set_hidden(true);
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    wb.save(path).unwrap();
}

/// Item maxima of the standard scheme, in form order.
pub const STANDARD_MAX: [f64; 16] = [4., 4., 4., 4., 4., 4., 4., 4., 4., 4., 7., 7., 6., 7., 7., 6.];
/// Indicator of each item of the standard scheme.
pub const STANDARD_INDICATORS: [&str; 16] = [
    "班子建设",
    "班子建设",
    "班子建设",
    "班子建设",
    "班子建设",
    "党员队伍建设",
    "党员队伍建设",
    "党员队伍建设",
    "党员队伍建设",
    "党员队伍建设",
    "工作机制建设",
    "工作机制建设",
    "工作机制建设",
    "工作业绩",
    "工作业绩",
    "工作业绩",
];
const STANDARD_ITEMS: [&str; 16] = [
    "支部设置合理",
    "班子团结",
    "活动经常",
    "经费落实",
    "党务公开",
    "学习教育",
    "组织活动",
    "党员管理",
    "发展党员",
    "缴纳党费",
    "各项制度健全",
    "工作机制完善",
    "责任落实到位",
    "创新工作思路",
    "发挥党员作用",
    "出色完成任务",
];
pub const VETO_ITEMS: [&str; 3] = [
    "班子成员发生严重违纪违法问题",
    "发生重大责任事故或群体性事件",
    "评星定级中弄虚作假",
];

/// Item maxima of a scheme, in form order.
pub fn item_maxima(scheme: &str) -> Vec<f64> {
    let scheme = Scheme::load(scheme).unwrap();
    scheme
        .indicators
        .iter()
        .flat_map(|i| i.items.iter().map(|it| it.max))
        .collect()
}

/// Scores summing to `sum`: full marks, points taken from the first items.
pub fn summing_to(maxima: &[f64], sum: f64) -> Vec<f64> {
    let mut deficit = maxima.iter().sum::<f64>() - sum;
    maxima
        .iter()
        .map(|&m| {
            let take = deficit.min(m);
            deficit -= take;
            ((m - take) * 100.0).round() / 100.0
        })
        .collect()
}

/// First item row (zero-based) of a [`FormSpec`] sheet: Excel row 5.
pub const ITEM_ROW: u32 = 4;

/// A scoring form in the canonical layout, with every knob a test needs.
///
/// Layout: A1 title; A2 `支部名称：…`, E2 `所属党组织：…`; header in row 4;
/// 16 items in rows 5–20; 加分 in row 21; 合计 in row 22 (if set);
/// 一票否决 in row 24 with answers in column D, rows 25–27.
#[derive(Debug, Clone)]
pub struct FormSpec {
    pub name: String,
    pub parent: Option<String>,
    /// Column labels: indicator, standard, max, self, assessed, reason.
    pub labels: [String; 6],
    /// Zero-based column of each of the six.
    pub cols: [u16; 6],
    pub maxima: Vec<f64>,
    pub indicators: Vec<String>,
    pub items: Vec<String>,
    pub self_scores: Vec<Option<V>>,
    pub assessed: Vec<Option<V>>,
    pub reasons: Vec<Option<String>>,
    pub merged: bool,
    pub bonus: Option<V>,
    pub total: Option<V>,
    pub veto: Vec<Option<String>>,
    pub sheet: String,
    /// Identity labels: the name's and the parent's.
    pub identity_labels: (String, String),
}

impl FormSpec {
    /// A standard-scheme form with full marks, self equal to assessed.
    pub fn standard(name: &str, parent: &str) -> FormSpec {
        FormSpec {
            name: name.to_string(),
            parent: Some(parent.to_string()),
            labels: ["考评项目", "考评内容", "分值", "自评分", "考核得分", "扣分原因"].map(String::from),
            cols: [0, 1, 2, 3, 4, 5],
            maxima: STANDARD_MAX.to_vec(),
            indicators: STANDARD_INDICATORS.map(String::from).to_vec(),
            items: STANDARD_ITEMS.map(String::from).to_vec(),
            self_scores: STANDARD_MAX.iter().map(|m| Some(V::N(*m))).collect(),
            assessed: STANDARD_MAX.iter().map(|m| Some(V::N(*m))).collect(),
            reasons: vec![None; 16],
            merged: false,
            bonus: None,
            total: None,
            veto: vec![Some("否".into()); 3],
            sheet: "评分表".to_string(),
            identity_labels: ("支部名称".into(), "所属党组织".into()),
        }
    }

    /// The same form for the `jiguan` scheme.
    pub fn jiguan(name: &str, parent: &str) -> FormSpec {
        FormSpec::for_scheme("jiguan", name, parent)
    }

    /// A party group's form (`group` scheme): 党小组名称 and 所属党支部, no veto.
    pub fn group(name: &str, branch: &str) -> FormSpec {
        let mut f = FormSpec::for_scheme("group", name, branch);
        f.identity_labels = ("党小组名称".into(), "所属党支部".into());
        f.veto.clear();
        f.sheet = "考评表".into();
        f
    }

    fn for_scheme(scheme: &str, name: &str, parent: &str) -> FormSpec {
        let scheme = Scheme::load(scheme).unwrap();
        let mut f = FormSpec::standard(name, parent);
        f.maxima.clear();
        f.indicators.clear();
        f.items.clear();
        for ind in &scheme.indicators {
            for item in &ind.items {
                f.maxima.push(item.max);
                f.indicators.push(ind.name.to_string());
                f.items.push(item.name.to_string());
            }
        }
        f.self_scores = f.maxima.iter().map(|m| Some(V::N(*m))).collect();
        f.assessed = f.self_scores.clone();
        f.reasons = vec![None; f.maxima.len()];
        f
    }

    /// Sets assessed scores (and self scores to the same).
    pub fn scores(mut self, assessed: &[f64]) -> FormSpec {
        self.assessed = assessed.iter().map(|v| Some(V::N(*v))).collect();
        self.self_scores = self.assessed.clone();
        self
    }

    /// The sheet this form writes.
    pub fn sheet_spec(&self) -> SheetSpec {
        let mut s = SheetSpec::new(&self.sheet);
        s.set(0, 0, format!("{}星级评定评分表", self.name).as_str());
        let (name_label, parent_label) = &self.identity_labels;
        s.set(1, 0, format!("{name_label}：{}", self.name).as_str());
        if let Some(p) = &self.parent {
            s.set(1, 4, format!("{parent_label}：{p}").as_str());
        }
        for (label, col) in self.labels.iter().zip(self.cols) {
            s.set(3, col, label.as_str());
        }
        let n = self.maxima.len() as u32;
        let mut first = 0;
        for i in 0..n as usize {
            let row = ITEM_ROW + i as u32;
            let new_indicator = i == 0 || self.indicators[i] != self.indicators[i - 1];
            if new_indicator || !self.merged {
                s.set(row, self.cols[0], self.indicators[i].as_str());
            }
            if new_indicator {
                first = row;
            }
            let last_of_indicator = i + 1 == n as usize || self.indicators[i + 1] != self.indicators[i];
            if self.merged && last_of_indicator && row > first {
                s.merges.push((first, self.cols[0], row, self.cols[0]));
            }
            s.set(row, self.cols[1], self.items[i].as_str());
            s.set(row, self.cols[2], self.maxima[i]);
            if let Some(v) = &self.self_scores[i] {
                s.set(row, self.cols[3], v.clone());
            }
            if let Some(v) = &self.assessed[i] {
                s.set(row, self.cols[4], v.clone());
            }
            if let Some(reason) = &self.reasons[i] {
                s.set(row, self.cols[5], reason.as_str());
            }
        }
        let bonus_row = ITEM_ROW + n;
        s.set(bonus_row, self.cols[0], "加分");
        if let Some(b) = &self.bonus {
            s.set(bonus_row, self.cols[4], b.clone());
            s.set(bonus_row, self.cols[3], b.clone());
        }
        if let Some(t) = &self.total {
            s.set(bonus_row + 1, self.cols[0], "合计");
            s.set(bonus_row + 1, self.cols[4], t.clone());
        }
        if self.veto.is_empty() {
            return s;
        }
        let veto_row = bonus_row + 3;
        s.set(veto_row, 0, "一票否决事项");
        s.set(veto_row, 3, "是否");
        for (k, item) in VETO_ITEMS.iter().enumerate() {
            s.set(veto_row + 1 + k as u32, 0, *item);
            if let Some(answer) = &self.veto[k] {
                s.set(veto_row + 1 + k as u32, 3, answer.as_str());
            }
        }
        s
    }

    /// Writes the form as a one-sheet workbook.
    pub fn write(&self, path: &Path) {
        write_xlsx(path, &[self.sheet_spec()]);
    }
}

/// A ballot register: `支部名称` in A1, 发出/收回 in row 2, header in row 4,
/// ballots from row 5; each row is five question marks then the star.
#[derive(Debug, Clone)]
pub struct RegisterSpec {
    pub name: String,
    pub questions: Vec<String>,
    pub issued: Option<V>,
    pub returned: Option<V>,
    pub rows: Vec<Vec<String>>,
}

/// Ballot questions of the standard scheme.
pub const STANDARD_QUESTIONS: [&str; 5] = ["班子建设", "党员队伍建设", "工作机制建设", "工作业绩", "群众评价"];

/// First ballot row (zero-based) of a register: Excel row 5.
pub const BALLOT_ROW: u32 = 4;

impl RegisterSpec {
    /// `n` identical ballots.
    pub fn uniform(name: &str, n: usize, rating: &str, star: &str) -> RegisterSpec {
        let row: Vec<String> = std::iter::repeat_n(rating.to_string(), 5)
            .chain([star.to_string()])
            .collect();
        RegisterSpec {
            name: name.to_string(),
            questions: STANDARD_QUESTIONS.map(String::from).to_vec(),
            issued: Some(V::N(n as f64)),
            returned: Some(V::N(n as f64)),
            rows: vec![row; n],
        }
    }

    /// Ballots given as rows of six marks.
    pub fn rows(name: &str, rows: &[[&str; 6]]) -> RegisterSpec {
        RegisterSpec {
            name: name.to_string(),
            questions: STANDARD_QUESTIONS.map(String::from).to_vec(),
            issued: Some(V::N(rows.len() as f64)),
            returned: Some(V::N(rows.len() as f64)),
            rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
        }
    }

    pub fn sheet_spec(&self) -> SheetSpec {
        let mut s = SheetSpec::new("登记表");
        s.set(0, 0, format!("支部名称：{}", self.name).as_str());
        s.set(1, 0, "发出票数");
        if let Some(v) = &self.issued {
            s.set(1, 1, v.clone());
        }
        s.set(1, 3, "收回票数");
        if let Some(v) = &self.returned {
            s.set(1, 4, v.clone());
        }
        s.set(3, 0, "序号");
        for (c, q) in self.questions.iter().enumerate() {
            s.set(3, c as u16 + 1, q.as_str());
        }
        s.set(3, self.questions.len() as u16 + 1, "推荐星级");
        for (i, row) in self.rows.iter().enumerate() {
            let r = BALLOT_ROW + i as u32;
            s.set(r, 0, (i + 1) as f64);
            for (c, mark) in row.iter().enumerate() {
                if !mark.is_empty() {
                    s.set(r, c as u16 + 1, mark.as_str());
                }
            }
        }
        s
    }

    pub fn write(&self, path: &Path) {
        write_xlsx(path, &[self.sheet_spec()]);
    }
}

/// One member row of a roster: name, five aspects, bonus, 不予评星.
pub type MemberRow<'a> = (&'a str, [f64; 5], f64, bool);

/// A member roster: `支部名称：` in A1, `所属党组织：` in E1, header in row 3
/// (序号 姓名 学习 敬业 效能 服务 廉洁 加分 联评总分 不予评星 备注), members from row 4.
pub fn roster_sheet(branch: &str, parent: Option<&str>, members: &[MemberRow]) -> SheetSpec {
    let mut s = SheetSpec::new("党员星级评定表");
    s.set(0, 0, format!("支部名称：{branch}").as_str());
    if let Some(p) = parent {
        s.set(0, 4, format!("所属党组织：{p}").as_str());
    }
    let header = [
        "序号",
        "姓名",
        "学习",
        "敬业",
        "效能",
        "服务",
        "廉洁",
        "加分",
        "联评总分",
        "不予评星",
        "备注",
    ];
    for (c, h) in header.iter().enumerate() {
        s.set(2, c as u16, *h);
    }
    for (i, (name, aspects, bonus, veto)) in members.iter().enumerate() {
        let r = 3 + i as u32;
        s.set(r, 0, (i + 1) as f64).set(r, 1, *name);
        for (k, a) in aspects.iter().enumerate() {
            s.set(r, 2 + k as u16, *a);
        }
        if *bonus != 0.0 {
            s.set(r, 7, *bonus);
        }
        if *veto {
            s.set(r, 9, "是");
        }
    }
    s
}

/// A register sheet: 序号 | 支部名称 | 所属党组织 | 曾用名 | 支部类型, from row 2.
pub fn roll_sheet(rows: &[(&str, &str, &str, &str)]) -> SheetSpec {
    let mut s = SheetSpec::new("名册");
    s.set(0, 0, "2026年度党支部名册");
    for (c, title) in ["序号", "支部名称", "所属党组织", "曾用名", "支部类型"]
        .iter()
        .enumerate()
    {
        s.set(1, c as u16, *title);
    }
    for (i, (name, parent, former, kind)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        s.set(r, 0, (i + 1) as f64);
        for (c, v) in [name, parent, former, kind].iter().enumerate() {
            if !v.is_empty() {
                s.set(r, c as u16 + 1, **v);
            }
        }
    }
    s
}

/// A temporary inbox.
pub struct Inbox {
    pub dir: tempfile::TempDir,
}

impl Inbox {
    pub fn new() -> Inbox {
        Inbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn form(&self, rel: &str, form: &FormSpec) -> &Inbox {
        form.write(&self.file(rel));
        self
    }

    /// A form plus five 好 ballots rating it 五星.
    pub fn form_with_ballots(&self, form: &FormSpec) -> &Inbox {
        self.form(&format!("{}评分表.xlsx", form.name), form);
        self.register(
            &format!("{}登记表.xlsx", form.name),
            &RegisterSpec::uniform(&form.name, 5, "好", "五星"),
        )
    }

    pub fn roster(&self, rel: &str, branch: &str, parent: Option<&str>, members: &[MemberRow]) -> &Inbox {
        write_xlsx(&self.file(rel), &[roster_sheet(branch, parent, members)]);
        self
    }

    pub fn register(&self, rel: &str, register: &RegisterSpec) -> &Inbox {
        register.write(&self.file(rel));
        self
    }

    pub fn copy_fixture(&self, fixture: &str, rel: &str) -> &Inbox {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        std::fs::copy(src, self.file(rel)).unwrap();
        self
    }

    pub fn evaluate(&self) -> Evaluation {
        self.evaluate_with("standard")
    }

    pub fn evaluate_with(&self, scheme: &str) -> Evaluation {
        starsheet::evaluate(&Plan::new(self.path(), Schemes::with_branch(scheme).unwrap())).unwrap()
    }
}

/// The result of the branch with this name.
pub fn branch<'a>(eval: &'a Evaluation, name: &str) -> &'a Assessment {
    eval.branches
        .iter()
        .find(|b| b.identity.name == name)
        .unwrap_or_else(|| panic!("no branch {name}"))
}

/// The tier name of a branch.
pub fn tier(eval: &Evaluation, name: &str) -> String {
    let b = branch(eval, name);
    b.tier
        .map(|t| eval.schemes.branch.tier(t).name.clone())
        .unwrap_or_else(|| "待核实".to_string())
}

/// Every issue as the terminal prints it: `[级别] file › sheet › cell：message`.
pub fn messages(eval: &Evaluation) -> Vec<String> {
    eval.issues.iter().map(|i| i.to_string()).collect()
}

/// Issues other than the notes every clean test inbox produces.
pub fn problems(eval: &Evaluation) -> Vec<String> {
    eval.issues
        .iter()
        .filter(|i| i.severity != starsheet::issue::Severity::Note)
        .map(|i| i.to_string())
        .collect()
}

/// A sheet of an output workbook as rows of display strings; the line
/// breaks that headers carry for print are left out.
pub fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string().replace('\n', ""),
                })
                .collect()
        })
        .collect()
}

/// SHA-256 of every file under a folder, by relative path.
pub fn hash_tree(dir: &Path) -> BTreeMap<String, String> {
    walk(dir)
        .into_iter()
        .map(|path| {
            let digest = Sha256::digest(std::fs::read(&path).unwrap());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            (path.strip_prefix(dir).unwrap().display().to_string(), hex)
        })
        .collect()
}

/// Fills cells of an existing .xlsx in place, the way a person typing into
/// the template would: each target cell keeps its style, gets a value.
/// `sheet` is the worksheet part, e.g. `xl/worksheets/sheet1.xml`.
pub fn fill_xlsx(path: &Path, sheet: &str, cells: &[(&str, V)]) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == sheet {
            let mut xml = String::from_utf8(data).unwrap();
            for (cell, value) in cells {
                xml = set_cell_xml(&xml, cell, value);
            }
            data = xml.into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

fn set_cell_xml(xml: &str, cell: &str, value: &V) -> String {
    let open = format!("<c r=\"{cell}\"");
    let start = xml.find(&open).unwrap_or_else(|| panic!("template has no cell {cell}"));
    let tag_end = start + xml[start..].find('>').unwrap();
    let end = if xml[..tag_end].ends_with('/') {
        tag_end + 1
    } else {
        tag_end + xml[tag_end..].find("</c>").unwrap() + 4
    };
    let style = xml[start..tag_end]
        .split_whitespace()
        .find_map(|a| a.strip_prefix("s=\""))
        .map(|s| format!(" s=\"{}", s.trim_end_matches('/')))
        .unwrap_or_default();
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let element = match value {
        V::N(n) => format!("<c r=\"{cell}\"{style}><v>{n}</v></c>"),
        V::S(s) => format!(
            "<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t>{}</t></is></c>",
            escape(s)
        ),
        V::B(b) => format!("<c r=\"{cell}\"{style} t=\"b\"><v>{}</v></c>", u8::from(*b)),
    };
    format!("{}{}{}", &xml[..start], element, &xml[end..])
}

/// The XML of one part of an .xlsx file.
pub fn xlsx_part(path: &Path, part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut text).unwrap();
    text
}

impl Inbox {
    /// Runs `score` on this inbox with the standard schemes, writing into `out`.
    pub fn score_into(&self, out: &Path) -> starsheet::Outcome {
        let mut plan = Plan::new(self.path(), Schemes::with_branch("standard").unwrap());
        plan.out_dir = Some(out.to_path_buf());
        plan.json = Some(out.join("results.json"));
        starsheet::score(&plan).unwrap()
    }
}

/// Every file under a folder, recursively, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Names of every part of a zip package.
pub fn zip_parts(path: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}
