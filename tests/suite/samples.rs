//! The bundled samples/inbox, end to end: results match a computation made
//! without starsheet (tests/fixtures/hand_check_samples.py, openpyxl), outputs
//! are byte-identical across runs, the inbox is untouched, ballots stay anonymous.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;
use starsheet::scheme::Schemes;
use starsheet::{Plan, SUMMARY_FILE};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox")
}

fn score_into(out: &Path, jobs: Option<usize>) -> starsheet::Outcome {
    let mut plan = Plan::new(samples(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.to_path_buf());
    plan.json = Some(out.join("results.json"));
    plan.jobs = jobs;
    starsheet::score(&plan).unwrap()
}

/// Output of hand_check_samples.py: branch, total, tier, in ranking order.
const EXPECTED: [(&str, f64, &str); 10] = [
    ("市财政局机关第四党支部", 100.000000, "五星"),
    ("市财政局机关第一党支部", 98.325688, "五星"),
    ("市教育局机关第三党支部", 93.546512, "四星"),
    ("市财政局机关第二党支部", 92.634831, "四星"),
    ("市税务局机关第三党支部", 92.593960, "四星"),
    ("市税务局机关第一党支部", 89.214286, "三星"),
    ("市教育局机关第一党支部", 82.004202, "三星"),
    ("市税务局机关第二党支部", 73.057803, "二星"),
    ("市税务局机关第四党支部", 69.733766, "无星"),
    ("市教育局机关第二党支部", 50.506494, "无星"),
];

#[test]
fn ranking_workbook_matches_the_independent_computation() {
    let out = tempfile::tempdir().unwrap();
    let outcome = score_into(out.path(), None);
    let path = out.path().join(SUMMARY_FILE);
    assert_eq!(
        outcome.written,
        [
            path.clone(),
            out.path().join(starsheet::PUBLIC_FILE),
            out.path().join("党员星级汇总.xlsx"),
            out.path().join("results.json")
        ]
    );

    let wb = calamine::open_workbook_auto(&path).unwrap();
    use calamine::Reader;
    assert_eq!(
        wb.sheet_names(),
        [
            "总排名",
            "星级分布",
            "党组织统计",
            "党小组排名",
            "测评统计",
            "问题清单",
            "文件清单",
            "评星方案"
        ]
    );
    let rows = read_sheet(&path, "总排名");
    let header = &rows[0];
    let col = |label: &str| header.iter().position(|h| h == label).unwrap();
    let (name, total, tier, glyphs, rank) = (col("支部名称"), col("总分"), col("星级名称"), col("星级"), col("排名"));
    for (i, (exp_name, exp_total, exp_tier)) in EXPECTED.iter().enumerate() {
        let row = &rows[i + 1];
        assert_eq!(row[name], *exp_name);
        let got: f64 = row[total].parse().unwrap();
        assert!((got - exp_total).abs() < 5e-7, "{exp_name}: {got} vs {exp_total}");
        assert_eq!(row[tier], *exp_tier);
        assert_eq!(row[rank], (i + 1).to_string());
    }
    assert_eq!(rows[1][glyphs], "★★★★★");
    assert_eq!(rows[3][glyphs], "★★★★☆");
    assert_eq!(rows[10][glyphs], "☆☆☆☆☆");
    // The vetoed branch and the two held back: one whose form is damaged (known
    // from its ballots and roster), one with a bad cell.
    assert_eq!(rows[9][col("一票否决")], "是：发生重大责任事故或群体性事件");
    assert_eq!(rows[11][name], "市教育局机关第四党支部");
    assert_eq!(rows[11][col("所属党组织")], "市教育局机关党委");
    assert_eq!(
        rows[11][col("标记")],
        "待核实（评分表无法读取：市教育局机关党委/市教育局机关第四党支部评分表.xlsx）"
    );
    assert_eq!(rows[12][name], "市财政局机关第三党支部");
    assert_eq!(rows[12][col("标记")], "待核实（原因见问题清单）");
    for row in &rows[11..] {
        assert_eq!((row[tier].as_str(), row[rank].as_str()), ("待核实", ""));
    }
    assert_eq!(rows.len(), 13);
    // 需复核: voters recommend three tiers below the score.
    assert_eq!(rows[6][col("议星结果")], "无星");
    assert_eq!(rows[6][col("标记")], "需复核");

    let problems = read_sheet(&path, "问题清单");
    let lines: Vec<String> = problems[1..].iter().map(|r| r[1..].join(" | ")).collect();
    assert_eq!(
        lines,
        [
            "错误 | 市教育局机关党委/市教育局机关第四党支部党员星级评定表.xlsx | 党员星级评定表 |  | 党员星级评定表所属支部「市教育局机关第四党支部」的评分表（市教育局机关党委/市教育局机关第四党支部评分表.xlsx）无法读取，该支部列为待核实，党员照常评定",
            "错误 | 市教育局机关党委/市教育局机关第四党支部评分表.xlsx |  |  | 文件已损坏，无法打开（压缩包不完整，文件可能在下载或复制时被截断）",
            "错误 | 市财政局机关党委/市财政局机关第三党支部评分表.xlsx | 评分表 | E6 | 考核得分「良好」不是有效的数字",
            "错误 | （单张测评票，路径不公开） |  |  | 支部「市教育局机关第四党支部」有测评票，但其评分表（市教育局机关党委/市教育局机关第四党支部评分表.xlsx）无法读取，该支部列为待核实",
            "提示 | 填报说明.txt |  |  | 不是电子表格文件（支持 .xlsx .xlsm .xls .xlsb .ods），已跳过",
            "提示 | 市财政局机关党委/~$市财政局机关第一党支部评分表.xlsx |  |  | Excel/WPS 打开文件时生成的临时锁定文件，已跳过",
        ]
    );
    assert_eq!(outcome.evaluation.exit_status(), 2);
}

#[test]
fn ballot_statistics_sheet_holds_aggregates_only() {
    let out = tempfile::tempdir().unwrap();
    score_into(out.path(), None);
    let rows = read_sheet(&out.path().join(SUMMARY_FILE), "测评统计");
    assert_eq!(
        &rows[0][..8],
        [
            "支部名称",
            "所属党组织",
            "评定情况",
            "发出票数",
            "收回票数",
            "登记票数",
            "空白票",
            "有效票"
        ]
    );
    assert_eq!(&rows[1][8..14], ["好", "较好", "一般", "差", "多选", "未评"]);
    // Twelve branches with ballots: ten rated, one held back for a bad cell,
    // one whose form could not be read.
    assert_eq!(rows.len(), 2 + 12);
    let mut states: Vec<&str> = rows[2..].iter().map(|r| r[2].as_str()).collect();
    states.sort();
    states.dedup();
    assert_eq!(states, ["已评定", "待核实", "评分表无法读取"]);
    for row in &rows[2..] {
        let counted: u32 = row[5].parse().unwrap();
        let blank: u32 = row[6].parse().unwrap();
        let valid: u32 = row[7].parse().unwrap();
        assert_eq!(counted, blank + valid);
        let per_question: u32 = row[8..14].iter().map(|c| c.parse::<u32>().unwrap()).sum();
        assert_eq!(
            per_question, valid,
            "every valid ballot answers the first question once"
        );
    }
}

#[test]
fn two_runs_write_identical_bytes_whatever_the_threads() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    score_into(a.path(), Some(1));
    score_into(b.path(), Some(4));
    let (ha, hb) = (hash_tree(a.path()), hash_tree(b.path()));
    assert_eq!(
        ha.len(),
        1 + 4 + 10,
        "the folder's marker, three workbooks and the JSON, and ten feedback workbooks"
    );
    assert!(ha.contains_key("反馈/市财政局机关党委/市财政局机关第一党支部.xlsx"));
    assert_eq!(ha, hb);
}

#[test]
fn the_inbox_is_byte_for_byte_unchanged() {
    let before = hash_tree(&samples());
    let out = tempfile::tempdir().unwrap();
    score_into(out.path(), None);
    assert_eq!(hash_tree(&samples()), before);
    assert_eq!(before.len(), 81);
}

#[test]
fn no_output_names_a_single_ballot_file_or_sheet() {
    let out = tempfile::tempdir().unwrap();
    score_into(out.path(), None);
    // Every part of every workbook written (ranking, public list, all feedback) and the JSON.
    let mut texts = Vec::new();
    for rel in hash_tree(out.path()).into_keys() {
        let path = out.path().join(&rel);
        if rel.ends_with(".json") || rel == starsheet::output::MARKER {
            texts.push((rel, std::fs::read_to_string(&path).unwrap()));
            continue;
        }
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut part = String::new();
            zip.by_index(i).unwrap().read_to_string(&mut part).unwrap();
            texts.push((rel.clone(), part));
        }
    }
    assert!(texts.len() > 100);
    for (file, text) in &texts {
        for marker in [
            "票01.xlsx",
            "票17",
            "测评票（电子版）",
            "第1票",
            "第12票",
            "市税务局机关第二党支部测评票/",
        ] {
            assert!(!text.contains(marker), "{file} contains {marker}");
        }
    }
    let manifest = read_sheet(&out.path().join(SUMMARY_FILE), "文件清单");
    let private: Vec<&Vec<String>> = manifest
        .iter()
        .filter(|r| r[0] == "（单张测评票，路径不公开）")
        .collect();
    let summary: Vec<(&str, &str)> = private.iter().map(|r| (r[2].as_str(), r[3].as_str())).collect();
    assert_eq!(
        summary,
        [
            ("单张测评票×33", "市教育局机关第四党支部"),
            ("单张测评票×36", "市税务局机关第二党支部")
        ]
    );
}

#[test]
fn the_sample_command_regenerates_the_bundled_inbox() {
    let out = tempfile::tempdir().unwrap();
    let schemes = Schemes::with_branch("standard").unwrap();
    let written = starsheet::sample::generate(&schemes, 12, 2026, out.path()).unwrap();
    assert_eq!(written, 81);
    assert_eq!(hash_tree(out.path()), hash_tree(&samples()));
}

#[test]
fn outputs_leave_no_temporary_files() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("结果");
    score_into(&out, None);
    score_into(&out, None);
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        names(&out),
        [
            ".starsheet",
            "results.json",
            "亮星公示.xlsx",
            "党员星级汇总.xlsx",
            "反馈",
            SUMMARY_FILE
        ]
    );
    assert_eq!(
        names(parent.path()),
        ["结果"],
        "no lock or staging folder is left beside it"
    );
}

#[test]
fn no_sheet_of_any_output_repeats_a_row() {
    // Two <row> elements for one row make Excel call the file damaged.
    let out = tempfile::tempdir().unwrap();
    score_into(out.path(), None);
    let mut sheets = 0;
    for path in walk(out.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
    {
        for part in zip_parts(&path)
            .into_iter()
            .filter(|p| p.starts_with("xl/worksheets/sheet"))
        {
            let xml = xlsx_part(&path, &part);
            let rows: Vec<&str> = xml
                .split("<row r=\"")
                .skip(1)
                .map(|r| r.split('"').next().unwrap())
                .collect();
            let mut unique = rows.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(rows.len(), unique.len(), "{path:?} {part} repeats a row");
            sheets += 1;
        }
    }
    assert!(sheets > 40, "{sheets} sheets checked");
}
