//! `starsheet check --explain`: a copy of a form coloured by what each cell
//! was read as, with a legend of what matched which scheme entry; of a
//! ballot file only the column titles and the branch's name.

use std::path::{Path, PathBuf};

use starsheet::explain::{LEGEND_SHEET, explain};
use starsheet::scheme::Schemes;
use starsheet::workbook::Limits;

use crate::common::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// Explains a fixture form with its folder's scheme; the copy's path.
fn explained(form: &str, scheme: &str, dir: &Path) -> PathBuf {
    let schemes = Schemes::with_branch(fixture(scheme).to_str().unwrap()).unwrap();
    let done = explain(&fixture(form), &schemes, &Limits::default()).unwrap();
    let path = dir.join("读取说明.xlsx");
    std::fs::write(&path, &done.bytes).unwrap();
    path
}

/// The legend's row for a cell: content, role and what it matched.
fn legend_row(rows: &[Vec<String>], sheet: &str, cell: &str) -> Vec<String> {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(sheet) && r.get(1).map(String::as_str) == Some(cell))
        .unwrap_or_else(|| panic!("no {sheet} {cell} in the legend"))
        .get(2..5)
        .unwrap()
        .to_vec()
}

#[test]
fn every_cell_used_is_named_with_what_it_matched() {
    let dir = tempfile::tempdir().unwrap();
    let path = explained(
        "realworld/C/收件箱/幸福社区党支部.xlsx",
        "realworld/C/方案.toml",
        dir.path(),
    );
    let legend = read_sheet(&path, LEGEND_SHEET);
    let sheet = "考核评分表";
    assert_eq!(
        legend_row(&legend, sheet, "A2"),
        ["党支部名称：幸福社区党支部", "名称和所属党组织", "名称：幸福社区党支部"]
    );
    assert_eq!(
        legend_row(&legend, sheet, "G3"),
        ["党委考评", "栏目名称（表头）", "考核得分栏"]
    );
    assert_eq!(
        legend_row(&legend, sheet, "B4"),
        ["组织设置（10分）", "考评项目（指标）", "指标「组织设置」，满分 10"]
    );
    assert_eq!(
        legend_row(&legend, sheet, "C5"),
        [
            "支委会配备齐全、分工明确",
            "考评内容（计分的分项）",
            "考评内容「支委会配备齐全、分工明确」，5 分"
        ]
    );
    // The 减分项 merged over 类别 and 考核项目: a block of its own, its -5 a deduction.
    assert_eq!(
        legend_row(&legend, sheet, "A17"),
        ["减分项", "考评项目（指标）", "指标「减分项」，满分 100"]
    );
    assert_eq!(legend_row(&legend, sheet, "G17"), ["-5", "扣分", "「减分项」整项"]);
    assert_eq!(
        legend_row(&legend, sheet, "A20"),
        [
            "评议项（100分）",
            "考评项目（指标）",
            "指标「评议项」，满分 100，由测评票计分（表上的分数不计入）"
        ]
    );
    assert_eq!(
        legend_row(&legend, sheet, "G21"),
        ["88", "合计（核对用）", "写明的合计，与各项核对"]
    );
    // The formula line under the table is a line under it, not an indicator.
    assert_eq!(
        legend_row(&legend, sheet, "A22"),
        [
            "总分＝（基础项得分－减分项）×70%＋评议项得分×30%",
            "表下的行：写明的总分、星级或说明",
            "表下的说明（不计分）"
        ]
    );
    // The copy holds the form as it is.
    let copy = read_sheet(&path, sheet);
    assert_eq!(copy[16][2], "党员受到党纪政务处分的，每人次扣5分");
}

#[test]
fn a_ballot_file_shows_its_titles_and_no_ballot() {
    let dir = tempfile::tempdir().unwrap();
    let path = explained(
        "realworld/C/收件箱/幸福社区党支部_测评登记.xlsx",
        "realworld/C/方案.toml",
        dir.path(),
    );
    let copy: Vec<String> = read_sheet(&path, "测评登记")
        .into_iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        copy,
        [
            "党支部名称：幸福社区党支部",
            "发放票数：42",
            "收回票数：40",
            "序号",
            "测评人身份",
            "对党支部书记抓党建工作的总体评价",
            "备注"
        ]
    );
    let legend = read_sheet(&path, LEGEND_SHEET);
    assert_eq!(
        legend_row(&legend, "测评登记", "C5"),
        [
            "对党支部书记抓党建工作的总体评价",
            "栏目名称（表头）",
            "测评题目「对党支部书记抓党建工作的总体评价」"
        ]
    );
    assert!(
        !legend.iter().flatten().any(|c| c == "满意" || c == "党员"),
        "no answer, no voter"
    );
}

#[test]
fn the_command_writes_the_copy_and_never_over_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let form = fixture("realworld/A/收件箱/市财政局机关第二党支部.xlsx");
    let run = |out: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_starsheet"))
            .args(["check", "--explain"])
            .arg(&form)
            .args(["--scheme", fixture("realworld/A/方案.toml").to_str().unwrap(), "-o"])
            .arg(out)
            .output()
            .unwrap()
    };
    let out = dir.path().join("说明.xlsx");
    let done = run(&out);
    assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
    let printed = String::from_utf8(done.stdout).unwrap();
    assert!(
        printed.starts_with("工作表「评分表」：评分表（市财政局机关第二党支部）\n"),
        "{printed}"
    );
    assert!(out.is_file());
    let before = std::fs::read(&form).unwrap();
    let refused = run(&form);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        format!(
            "错误：无法说明 {} 的读取：副本的文件名与原表相同；请用 -o 指定另一个文件名",
            form.display()
        )
    );
    assert_eq!(std::fs::read(&form).unwrap(), before);
    let folder = run_on(form.parent().unwrap(), &dir.path().join("x.xlsx"));
    assert_eq!(folder.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&folder.stderr).trim(),
        format!(
            "错误：无法说明 {} 的读取：--explain 说明的是一个表格文件，这里是文件夹；核查整个收件箱请去掉 --explain",
            form.parent().unwrap().display()
        )
    );
}

fn run_on(path: &Path, out: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .args(["check", "--explain"])
        .arg(path)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}
