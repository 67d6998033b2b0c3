//! Rounds: the label a run is given (`--round`, `--date`) on every output,
//! and the public list's posting period and issuer.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/inbox")
        .display()
        .to_string()
}

/// Scores the samples into `out` with extra arguments; returns stdout.
fn score(out: &Path, extra: &[&str]) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .args(["score", &samples(), "-o", out.to_str().unwrap(), "--json", "-q"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8_lossy(&run.stdout).into_owned()
}

#[test]
fn a_round_names_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("结果");
    let stdout = score(
        &out,
        &[
            "--round",
            "2026Q3",
            "--date",
            "2026年9月28日",
            "--issuer",
            "中共示范市直属机关工作委员会",
            "--notice-days",
            "7",
        ],
    );
    assert!(stdout.contains("评定轮次：2026年第三季度（2026年9月28日）"), "{stdout}");

    // 总排名's page header, the scheme sheet's first line, the problem list's header.
    let summary = out.join("汇总排名.xlsx");
    assert!(
        xlsx_part(&summary, "xl/worksheets/sheet1.xml").contains("2026年第三季度　党支部星级评定（标准方案）　总排名")
    );
    let scheme = read_sheet(&summary, "评星方案");
    assert_eq!(
        scheme[0][0],
        "评星方案：党支部星级评定（标准方案）（standard）　　评定轮次：2026年第三季度　　评定日期：2026年9月28日"
    );

    // The feedback's title and page header.
    let feedback = out.join("反馈/市财政局机关党委/市财政局机关第一党支部.xlsx");
    assert_eq!(
        read_sheet(&feedback, "评定结果")[0][0],
        "市财政局机关第一党支部2026年第三季度星级评定结果反馈"
    );
    assert!(xlsx_part(&feedback, "xl/worksheets/sheet1.xml").contains("&amp;C2026年第三季度&amp;R评定结果"));

    // The public list: title, posting period counted from the date (7 days
    // from 28 September end on 4 October), issuer and date.
    let public = read_sheet(&out.join("亮星公示.xlsx"), "亮星公示");
    assert_eq!(public[0][0], "2026年第三季度党支部星级评定（标准方案）亮星公示");
    let tail: Vec<&str> = public.iter().rev().take(4).map(|r| r[0].as_str()).collect();
    assert_eq!(
        tail,
        [
            "2026年9月28日",
            "中共示范市直属机关工作委员会",
            "",
            "公示期：2026年9月28日至2026年10月4日（7 天）。如有异议，请在公示期内向中共示范市直属机关工作委员会反映。"
        ]
    );

    // results.json records the round.
    let json = std::fs::read_to_string(out.join("results.json")).unwrap();
    assert!(
        json.contains(r#""round":{"period":"2026Q3","label":"2026年第三季度","date":"2026-09-28"}"#),
        "{}",
        &json[..300]
    );
}

#[test]
fn without_a_round_outputs_carry_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("结果");
    let stdout = score(&out, &[]);
    assert!(!stdout.contains("评定轮次"));
    let public = read_sheet(&out.join("亮星公示.xlsx"), "亮星公示");
    assert_eq!(public[0][0], "党支部星级评定（标准方案）亮星公示");
    assert!(!public.iter().flatten().any(|c| c.contains("公示期")));
    let json = std::fs::read_to_string(out.join("results.json")).unwrap();
    assert!(!json.contains(r#""round""#));
}

#[test]
fn a_round_staff_cannot_mean_is_refused_with_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            vec!["--round", "2026Q5"],
            "错误：参数 --round <轮次> 的值「2026Q5」无效：请写成 2026年度、2026年上半年（2026H1）或 2026年第三季度（2026Q3）",
        ),
        (
            vec!["--round", "2026年度", "--date", "2026-02-30"],
            "错误：参数 --date <日期> 的值「2026-02-30」无效：请写成 2026-12-01 或 2026年12月1日这样的日期",
        ),
        (vec!["--date", "2026-12-01"], "错误：缺少参数 --round <轮次>"),
    ] {
        let run = Command::new(env!("CARGO_BIN_EXE_starsheet"))
            .args(["score", &samples(), "-o", dir.path().join("结果").to_str().unwrap()])
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert!(!dir.path().join("结果").exists(), "nothing written");
    }
}

#[test]
fn the_notice_is_scheme_data_checked_at_load() {
    let preset =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/standard.toml")).unwrap();
    let with = |notice: &str| starsheet::scheme::Scheme::parse(&format!("{preset}\n[notice]\n{notice}\n"), "本地.toml");
    let scheme = with("issuer = \"中共示范市委组织部\"\ndays = 5\ncontact = \"联系电话：0000-1234567\"").unwrap();
    assert_eq!(scheme.notice.issuer.as_deref(), Some("中共示范市委组织部"));
    assert_eq!(scheme.notice.days, Some(5));
    assert_eq!(
        with("days = 0").unwrap_err().to_string(),
        "评星方案 本地.toml 中 notice.days 有误：公示天数必须至少为 1"
    );
    assert!(with("weeks = 1").unwrap_err().to_string().contains("weeks"));
}
