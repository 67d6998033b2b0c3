//! Feedback workbooks, statistics sheets and the public star list, read back.

use std::path::{Path, PathBuf};

use crate::common::*;
use starsheet::scheme::Schemes;
use starsheet::{Outcome, Plan};

fn score(inbox: &Path, out: &Path) -> Outcome {
    let mut plan = Plan::new(inbox, Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.to_path_buf());
    starsheet::score(&plan).unwrap()
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox")
}

/// A branch whose every number is known by hand:
/// 班子建设 19 (支部设置合理 3: 会议记录缺失), 党员队伍建设 20, 工作机制建设 18
/// (各项制度健全 5: 制度未更新), 工作业绩 15 (创新工作思路 2, self 7 → 自评偏高),
/// 加分 1; six ballots 好×3 较好×2 一般×1 on every question, 五星×3 四星×3:
/// 群众评价 = 20 × 5.2/6 = 17.333…, satisfaction 5/6, 议星 四星; total 90.333… → 四星.
fn known_branch(inbox: &Inbox) {
    let mut scores = STANDARD_MAX.to_vec();
    scores[0] = 3.0;
    scores[10] = 5.0;
    scores[13] = 2.0;
    let mut form = FormSpec::standard("一支部", "甲党委").scores(&scores);
    form.self_scores = STANDARD_MAX.iter().map(|m| Some(V::N(*m))).collect();
    form.reasons[0] = Some("会议记录缺失".into());
    form.reasons[10] = Some("制度未更新".into());
    form.bonus = Some(V::N(1.0));
    inbox.form("一支部.xlsx", &form);
    let row = |r: &'static str, s: &'static str| [r, r, r, r, r, s];
    let rows = [
        row("好", "五星"),
        row("好", "五星"),
        row("好", "五星"),
        row("较好", "四星"),
        row("较好", "四星"),
        row("一般", "四星"),
    ];
    inbox.register("一支部票.xlsx", &RegisterSpec::rows("一支部", &rows));
}

#[test]
fn every_rated_branch_gets_feedback_and_pending_ones_none() {
    let out = tempfile::tempdir().unwrap();
    let outcome = score(&samples(), out.path());
    let written: Vec<(String, String)> = outcome
        .feedback
        .iter()
        .map(|(id, p)| {
            (
                id.name.clone(),
                p.strip_prefix(out.path()).unwrap().display().to_string(),
            )
        })
        .collect();
    assert_eq!(written.len(), 10);
    assert!(written.contains(&(
        "市税务局机关第二党支部".to_string(),
        "反馈/市税务局机关党委/市税务局机关第二党支部.xlsx".to_string()
    )));
    assert!(!written.iter().any(|(name, _)| name == "市财政局机关第三党支部"));
    assert!(
        !out.path()
            .join("反馈/市财政局机关党委/市财政局机关第三党支部.xlsx")
            .exists()
    );
    for (_, rel) in &written {
        let wb = out.path().join(rel);
        let sheets: Vec<String> = {
            use calamine::Reader;
            calamine::open_workbook_auto(&wb).unwrap().sheet_names()
        };
        assert_eq!(sheets, ["评定结果", "测评情况", "整改提升计划", "党员星级"]);
    }
}

#[test]
fn results_sheet_explains_every_point() {
    let inbox = Inbox::new();
    known_branch(&inbox);
    let out = tempfile::tempdir().unwrap();
    score(inbox.path(), out.path());
    let path = out.path().join("反馈/甲党委/一支部.xlsx");
    let rows = read_sheet(&path, "评定结果");
    let find = |label: &str| {
        rows.iter()
            .find(|r| r.get(1).is_some_and(|c| c == label))
            .unwrap_or_else(|| panic!("{label}"))
    };
    assert_eq!(rows[0][0], "一支部星级评定结果反馈");
    assert_eq!(
        rows[3],
        ["考评项目", "考评内容", "分值", "自评分", "考核得分", "失分", "扣分原因"]
    );
    assert_eq!(
        find("支部设置合理"),
        &["班子建设", "支部设置合理", "4", "4", "3", "1", "会议记录缺失"]
    );
    assert_eq!(
        find("各项制度健全"),
        &["工作机制建设", "各项制度健全", "7", "7", "5", "2", "制度未更新"]
    );
    assert_eq!(
        find("创新工作思路")[..6],
        ["工作业绩", "创新工作思路", "7", "7", "2", "5"]
    );
    let subtotals: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.get(1).is_some_and(|c| c.starts_with("小计")))
        .collect();
    let subtotal_text: Vec<(&str, &str)> = subtotals.iter().map(|r| (r[1].as_str(), r[4].as_str())).collect();
    assert_eq!(
        subtotal_text,
        [
            ("小计（单项星：金星）", "19"),
            ("小计（单项星：金星）", "20"),
            ("小计（单项星：金星）", "18"),
            ("小计（单项星：铜星）", "15"),
            ("小计（单项星：银星）", subtotal_text[4].1),
        ]
    );
    let crowd: f64 = subtotal_text[4].1.parse().unwrap();
    assert!((crowd - 20.0 * 5.2 / 6.0).abs() < 1e-9, "{crowd}");
    assert_eq!(find("由无记名测评票计算（满意率 83.3%）")[0], "群众评价");
    let total: f64 = rows.iter().find(|r| r[0] == "总分").unwrap()[4].parse().unwrap();
    assert!((total - (19.0 + 20.0 + 18.0 + 15.0 + 20.0 * 5.2 / 6.0 + 1.0)).abs() < 1e-9);
    assert_eq!(rows.iter().find(|r| r[0] == "加分").unwrap()[4], "1");
    assert_eq!(rows.iter().find(|r| r[0] == "评定星级").unwrap()[1], "★★★★☆　四星");
    assert_eq!(
        rows.iter().find(|r| r[0] == "提升工程").unwrap()[1],
        "示范工程：巩固提高、争创品牌"
    );
    let notes: Vec<&str> = rows
        .iter()
        .skip_while(|r| r[0] != "说明")
        .skip(1)
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(
        notes,
        ["自评偏高：「工作业绩」自评 20 分，考核得分 15 分，高出该指标满分的 20.0%以上，请对照标准重新审视自评。"]
    );
}

#[test]
fn ballot_sheet_holds_aggregates_and_hides_small_counts() {
    let inbox = Inbox::new();
    known_branch(&inbox);
    inbox.form("二支部.xlsx", &FormSpec::standard("二支部", "甲党委"));
    inbox.register("二支部票.xlsx", &RegisterSpec::uniform("二支部", 4, "好", "五星"));
    let out = tempfile::tempdir().unwrap();
    score(inbox.path(), out.path());
    let rows = read_sheet(&out.path().join("反馈/甲党委/一支部.xlsx"), "测评情况");
    assert_eq!(
        rows[2],
        [
            "发出票数",
            "收回票数",
            "登记票数",
            "空白票",
            "有效票",
            "满意率",
            "议星结果",
            ""
        ]
    );
    assert_eq!(
        rows[3][..7],
        ["6", "6", "6", "0", "6", &*(5.0 / 6.0).to_string(), "四星"]
    );
    assert_eq!(
        rows[5],
        ["测评题目", "好", "较好", "一般", "差", "多选", "未评", "满意率"]
    );
    assert_eq!(rows[6][..7], ["班子建设", "3", "2", "1", "0", "0", "0"]);
    assert_eq!(
        rows.len(),
        6 + 5 + 1 + 1 + 6 + 1 + 2,
        "header, five questions, gap, star table, note"
    );
    assert_eq!(rows.last().unwrap()[0], "本表只含汇总数，不含任何一张测评票的内容。");

    let few = read_sheet(&out.path().join("反馈/甲党委/二支部.xlsx"), "测评情况");
    assert_eq!(few[3][..7], ["4", "4", "4", "0", "4", "—", "—"]);
    assert_eq!(
        few[5][0],
        "有效测评票少于 5 张，为保护测评人匿名，不反馈分项统计、满意率和议星结果。"
    );
    assert_eq!(few.len(), 6);
}

#[test]
fn rectification_plan_is_prefilled_and_only_its_fill_in_cells_are_open() {
    let inbox = Inbox::new();
    known_branch(&inbox);
    let out = tempfile::tempdir().unwrap();
    score(inbox.path(), out.path());
    let path = out.path().join("反馈/甲党委/一支部.xlsx");
    let rows = read_sheet(&path, "整改提升计划");
    assert_eq!(rows[3], ["序号", "问题", "失分", "整改措施", "责任人", "完成时限"]);
    let plan: Vec<(&str, &str)> = rows[4..].iter().map(|r| (r[1].as_str(), r[2].as_str())).collect();
    let crowd_lost = 20.0 - 20.0 * 5.2 / 6.0;
    assert_eq!(
        plan,
        [
            ("工作业绩—创新工作思路：失 5 分", "5"),
            ("工作机制建设—各项制度健全：失 2 分（制度未更新）", "2"),
            ("班子建设—支部设置合理：失 1 分（会议记录缺失）", "1"),
            ("群众评价：群众测评满意率 83.3%，失 2.67 分", plan[3].1),
            ("", ""),
            ("", ""),
            ("", ""),
        ]
    );
    assert!((plan[3].1.parse::<f64>().unwrap() - crowd_lost).abs() < 1e-9);
    for r in &rows[4..] {
        assert_eq!(r[3..], ["", "", ""], "left for the branch");
    }
    let sheet = |n: u32| xlsx_part(&path, &format!("xl/worksheets/sheet{n}.xml"));
    assert!(!sheet(1).contains("<sheetProtection"));
    assert!(!sheet(2).contains("<sheetProtection"));
    let plan_xml = sheet(3);
    assert!(plan_xml.contains("<sheetProtection sheet=\"1\""));
    assert!(plan_xml.contains(r#"<dataValidation type="date""#), "{plan_xml}");
    assert!(
        plan_xml.contains(r#"sqref="F5:F11"><formula1>36526</formula1><formula2>73050</formula2>"#),
        "{plan_xml}"
    );
    // The problem cell stays locked, the measures cell is open.
    let styles = xlsx_part(&path, "xl/styles.xml");
    let xfs: Vec<&str> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap()
        .split("<xf ")
        .skip(1)
        .collect();
    let style_of = |cell: &str| -> usize {
        let tag = plan_xml.split(&format!("<c r=\"{cell}\"")).nth(1).unwrap();
        tag.split("s=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(!xfs[style_of("B5")].contains("locked=\"0\""));
    for cell in ["D5", "E5", "F5", "B9", "D11"] {
        assert!(xfs[style_of(cell)].contains("locked=\"0\""), "{cell} is open");
    }
}

#[test]
fn file_names_are_sanitised_and_collisions_numbered() {
    let inbox = Inbox::new();
    for (file, name, parent) in [
        ("a.xlsx", "一支部/二", "甲/乙党委"),
        ("b.xlsx", "一支部_二", "甲/乙党委"),
        ("c.xlsx", "CON", "甲/乙党委"),
        ("d.xlsx", "=HYPERLINK(\"http://x\")", "..\\越界"),
    ] {
        inbox.form(file, &FormSpec::standard(name, parent));
        inbox.register(&format!("{file}票.xlsx"), &RegisterSpec::uniform(name, 5, "好", "五星"));
    }
    let out = tempfile::tempdir().unwrap();
    score(inbox.path(), out.path());
    let mut files: Vec<String> = hash_tree(&out.path().join("反馈")).into_keys().collect();
    files.sort();
    assert_eq!(
        files,
        [
            "_越界/=HYPERLINK(_http___x_).xlsx",
            "甲_乙党委/_CON.xlsx",
            "甲_乙党委/一支部_二.xlsx",
            "甲_乙党委/一支部_二（2）.xlsx"
        ]
    );
    // The name is written as text, never as a formula.
    let xml = xlsx_part(
        &out.path().join("反馈/_越界/=HYPERLINK(_http___x_).xlsx"),
        "xl/worksheets/sheet1.xml",
    );
    assert!(!xml.contains("<f>"), "{xml}");
}

#[test]
fn stale_feedback_does_not_survive_a_new_run() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    let out = tempfile::tempdir().unwrap();
    score(inbox.path(), out.path());
    let file = out.path().join("反馈/甲党委/一支部.xlsx");
    assert!(file.exists());
    inbox.form("一支部（重复）.xlsx", &FormSpec::standard("一支部", "甲党委"));
    score(inbox.path(), out.path());
    assert!(
        !file.exists(),
        "the branch is pending now: its old feedback must not be sent"
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(".starsheet-")),
        "{leftovers:?}"
    );
}

#[test]
fn star_distribution_and_organisation_statistics() {
    let out = tempfile::tempdir().unwrap();
    score(&samples(), out.path());
    let path = out.path().join(starsheet::SUMMARY_FILE);
    let rows = read_sheet(&path, "星级分布");
    assert_eq!(
        rows,
        [
            [
                "所属党组织",
                "五星",
                "四星",
                "三星",
                "二星",
                "一星",
                "无星",
                "待核实",
                "合计"
            ],
            ["市教育局机关党委", "0", "1", "1", "0", "0", "1", "1", "4"],
            ["市税务局机关党委", "0", "1", "1", "1", "0", "1", "0", "4"],
            ["市财政局机关党委", "2", "1", "0", "0", "0", "0", "1", "4"],
            ["全部", "2", "3", "2", "1", "0", "2", "2", "12"],
        ]
        .map(|r| r.map(String::from).to_vec())
    );
    let overall = xlsx_part(&path, "xl/charts/chart1.xml");
    assert_eq!(overall.matches("<c:dPt>").count(), 6, "one coloured column per tier");
    for colour in ["FFD966", "C6E0B4", "BDD7EE", "F8CBAD", "E2D0EE", "D9D9D9"] {
        assert!(overall.contains(colour), "{colour}");
    }
    let stacked = xlsx_part(&path, "xl/charts/chart2.xml");
    assert_eq!(stacked.matches("<c:ser>").count(), 6, "one series per tier");
    assert!(stacked.contains("<c:grouping val=\"stacked\"/>"));

    let orgs = read_sheet(&path, "党组织统计");
    let header = &orgs[0];
    let col = |label: &str| header.iter().position(|h| h == label).unwrap();
    let pick = |r: &Vec<String>| {
        (
            r[0].clone(),
            r[col("支部数")].clone(),
            r[col("五星占比")].clone(),
            r[col("四星及以上占比")].clone(),
            r[col("先进机关党组织")].clone(),
        )
    };
    assert_eq!(
        orgs[1..5].iter().map(pick).collect::<Vec<_>>(),
        [
            // Four branches, one held back (its form is damaged): no 五星 and at
            // most 2 of 4 at 四星 or above whatever it turns out to be.
            ("市教育局机关党委", "4", "0", &*(1.0f64 / 3.0).to_string(), "不符合"),
            ("市税务局机关党委", "4", "0", "0.25", "不符合"),
            (
                "市财政局机关党委",
                "4",
                &*(2.0f64 / 3.0).to_string(),
                "1",
                "待定（1 个支部待核实）"
            ),
            ("全部", "12", "0.2", "0.5", "不符合"),
        ]
        .map(|(a, b, c, d, e)| (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string()
        ))
    );
    assert!(orgs[6][0].starts_with(
        "先进机关党组织条件：至少 1 个五星支部，且四星及以上支部占全部支部（含待核实）的比例不低于 80.0%。"
    ));
}

#[test]
fn public_list_has_stars_and_no_scores() {
    let out = tempfile::tempdir().unwrap();
    score(&samples(), out.path());
    let path = out.path().join(starsheet::PUBLIC_FILE);
    let rows = read_sheet(&path, "亮星公示");
    let lines: Vec<String> = rows
        .iter()
        .map(|r| r.join("|").trim_end_matches('|').to_string())
        .collect();
    assert_eq!(lines[0], "党支部星级评定（标准方案）亮星公示");
    assert_eq!(lines[2], "市教育局机关党委（3 个党支部）");
    assert_eq!(lines[3], "市教育局机关第三党支部|★★★★☆|四星");
    assert!(lines.contains(&"市财政局机关第四党支部|★★★★★|五星".to_string()));
    assert!(
        !lines.iter().any(|l| l.contains("市财政局机关第三党支部")),
        "pending branches are not published"
    );
    assert_eq!(lines.iter().filter(|l| l.contains("|")).count(), 10);
    let sheet = xlsx_part(&path, "xl/worksheets/sheet1.xml");
    // Every value is a shared string: not a single number (score) in the list.
    assert_eq!(sheet.matches("t=\"s\"><v>").count(), sheet.matches("<v>").count());
}

#[test]
fn overlong_text_is_cut_with_a_note_and_every_output_is_still_written() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed[0] = Some(V::N(3.0));
    form.reasons[0] = Some("待填".into());
    inbox.form_with_ballots(&form);
    // Excel stops at 32,767 characters a cell; other producers do not.
    fill_xlsx(
        &inbox.file("一支部评分表.xlsx"),
        "xl/worksheets/sheet1.xml",
        &[("F5", V::S("会议记录缺失。".repeat(5_000)))],
    );
    // At the limit itself: the reason fits, the plan's sentence around it does not.
    let mut form = FormSpec::standard("三支部", "甲党委");
    form.assessed[1] = Some(V::N(2.0));
    form.reasons[1] = Some("缺".repeat(32_767));
    inbox.form_with_ballots(&form);
    let long_name = format!("{}党支部", "长".repeat(32_747));
    inbox.form("长名评分表.xlsx", &FormSpec::standard(&long_name, "甲党委"));
    inbox.register("长名登记表.xlsx", &RegisterSpec::uniform(&long_name, 5, "好", "五星"));
    inbox.form_with_ballots(&FormSpec::standard("二支部", "甲党委"));
    let out = tempfile::tempdir().unwrap();
    let outcome = inbox.score_into(out.path());
    assert_eq!(outcome.evaluation.exit_status(), 0);
    assert_eq!(outcome.feedback.len(), 4);
    for file in [
        "汇总排名.xlsx",
        "亮星公示.xlsx",
        "results.json",
        "反馈/甲党委/一支部.xlsx",
        "反馈/甲党委/二支部.xlsx",
        "反馈/甲党委/三支部.xlsx",
    ] {
        assert!(out.path().join(file).is_file(), "{file}");
    }
    let results = read_sheet(&out.path().join("反馈/甲党委/一支部.xlsx"), "评定结果");
    let reason = &results[4][6];
    assert_eq!(reason.encode_utf16().count(), 32_767);
    assert!(reason.starts_with("会议记录缺失。会议记录缺失。"));
    assert!(reason.ends_with("…（已截断，原文 35,000 字）"), "{}", tail(reason));
    let third = out.path().join("反馈/甲党委/三支部.xlsx");
    assert_eq!(read_sheet(&third, "评定结果")[5][6], "缺".repeat(32_767));
    let plan = read_sheet(&third, "整改提升计划");
    let problem = &plan[4][1];
    assert!(
        problem.starts_with("班子建设—班子团结：失 2 分（缺缺"),
        "{}",
        problem.chars().take(30).collect::<String>()
    );
    assert!(problem.ends_with("缺…（已截断，原文 32,784 字）"), "{}", tail(problem));
    // The name fits a cell and is written whole, here and in the titles built from it.
    let ranking = read_sheet(&out.path().join("汇总排名.xlsx"), "总排名");
    assert!(ranking.iter().any(|r| r[2] == long_name));
    let (_, path) = outcome.feedback.iter().find(|(id, _)| id.name == long_name).unwrap();
    assert_eq!(
        read_sheet(path, "评定结果")[0][0],
        format!("{long_name}星级评定结果反馈")
    );
}

#[test]
fn one_branch_whose_feedback_cannot_be_built_stops_nothing_else() {
    let inbox = Inbox::new();
    for name in ["一支部", "二支部", "三支部"] {
        inbox.form_with_ballots(&FormSpec::standard(name, "甲党委"));
    }
    let out = tempfile::tempdir().unwrap();
    let mut plan = Plan::new(inbox.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.path().to_path_buf());
    plan.json = Some(out.path().join("results.json"));
    plan.fail_feedback_of = Some("二支部".into());
    let archive = tempfile::tempdir().unwrap();
    let file = archive.path().join("档案.sqlite");
    plan.archive = Some(file.clone());
    plan.round = Some(starsheet::round::Round {
        period: starsheet::round::Period::Year(2026),
        date: None,
    });
    let outcome = starsheet::score(&plan).unwrap();
    let written: Vec<&str> = outcome.feedback.iter().map(|(id, _)| id.name.as_str()).collect();
    assert_eq!(written, ["一支部", "三支部"]);
    assert!(!out.path().join("反馈/甲党委/二支部.xlsx").exists());
    let message = "[错误] 二支部评分表.xlsx：该支部的反馈表 反馈/甲党委/二支部.xlsx 未能生成（按测试要求使本支部的反馈表失败），\
                   其他支部的反馈和汇总照常写出；请将此情况反馈给维护人员";
    assert_eq!(problems(&outcome.evaluation), [message]);
    assert_eq!(outcome.evaluation.exit_status(), 2);
    // The consolidated outputs list it too.
    let listed = read_sheet(&out.path().join("汇总排名.xlsx"), "问题清单");
    assert!(
        listed
            .iter()
            .any(|r| r[5].starts_with("该支部的反馈表 反馈/甲党委/二支部.xlsx 未能生成"))
    );
    let json = std::fs::read_to_string(out.path().join("results.json")).unwrap();
    assert!(json.contains("\"code\":\"feedback_not_built\""));
    assert_eq!(tier(&outcome.evaluation, "二支部"), "五星");
    // The archive keeps the results.json written last, with the problem.
    let stored = starsheet::archive::Archive::open(&file)
        .unwrap()
        .export(starsheet::round::Period::Year(2026), None)
        .unwrap();
    assert_eq!(stored, json.as_bytes());
}

/// The last characters of a long text, for assertion messages.
fn tail(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(30)..].iter().collect()
}

#[test]
fn long_text_wraps_inside_its_table_and_scores_read_alike_everywhere() {
    let out = tempfile::tempdir().unwrap();
    let outcome = score(&samples(), out.path());
    let summary = out.path().join(starsheet::SUMMARY_FILE);
    // 总排名: the vetoed branch (row 10) wraps its 一票否决 text in a taller row
    // instead of cutting it off where 标记 begins.
    let ranking = xlsx_part(&summary, "xl/worksheets/sheet1.xml");
    assert!(tall_row(&ranking, 10), "{ranking}");
    // 问题清单: a long path wraps in its own column, not over 工作表.
    let problems = xlsx_part(&summary, "xl/worksheets/sheet6.xml");
    assert!(tall_row(&problems, 2), "{problems}");
    // 党员星级总表: the member not rated has her reason inside the table.
    let members = out.path().join("党员星级汇总.xlsx");
    let rows = read_sheet(&members, "党员星级总表");
    let at = rows
        .iter()
        .position(|r| r.last().unwrap() == "存在严重违纪违法等问题，不予评星")
        .unwrap();
    let sheet = xlsx_part(&members, "xl/worksheets/sheet3.xml");
    assert!(tall_row(&sheet, at as u32 + 1), "{sheet}");
    // Every sheet prints with the page header and page numbers.
    for part in ["sheet2.xml", "sheet8.xml"] {
        let xml = xlsx_part(&summary, &format!("xl/worksheets/{part}"));
        assert!(
            xml.contains("<oddHeader>") && xml.contains("第 &amp;P 页，共 &amp;N 页"),
            "{part}"
        );
    }
    // 群众评价 reads the same in 总排名 and in the feedback: one number, one format.
    let ranked = read_sheet(&summary, "总排名");
    let col = ranked[0].iter().position(|h| h == "群众评价").unwrap();
    let (identity, path) = &outcome.feedback[0];
    let row = ranked.iter().find(|r| r[2] == identity.name).unwrap();
    let results = read_sheet(path, "评定结果");
    // The ballot-scored line, then its 小计 (the indicator name is merged over both).
    let at = results
        .iter()
        .position(|r| r[1].starts_with("由无记名测评票计算"))
        .unwrap();
    assert!(results[at + 1][1].starts_with("小计"));
    assert_eq!(row[col], results[at][4]);
    assert_eq!(row[col], results[at + 1][4]);
    assert!(xlsx_part(&summary, "xl/styles.xml").contains(r#"formatCode="0.0#""#));
    assert!(xlsx_part(path, "xl/styles.xml").contains(r#"formatCode="0.0#""#));
    // 文件清单 names a party group with its branch.
    let files = read_sheet(&summary, "文件清单");
    assert!(
        files.iter().any(|r| r[3] == "第一党小组（市教育局机关第二党支部）"),
        "{files:?}"
    );
}

/// Whether a sheet's row `r` (1-based) is set taller than one line of text.
fn tall_row(xml: &str, r: u32) -> bool {
    let open = format!("<row r=\"{r}\" ht=\"");
    xml.find(&open).is_some_and(|at| {
        let rest = &xml[at + open.len()..];
        let height: f64 = rest.split('"').next().unwrap().parse().unwrap();
        height > 20.0 && rest.split('>').next().unwrap().contains("customHeight=\"1\"")
    })
}

#[test]
fn ballot_statistics_print_side_by_side_broken_between_questions() {
    let out = tempfile::tempdir().unwrap();
    score(&samples(), out.path());
    let summary = out.path().join(starsheet::SUMMARY_FILE);
    let sheet = xlsx_part(&summary, "xl/worksheets/sheet5.xml");
    // 75 %, not squeezed onto one page: 10 pt text prints at 7.5 pt.
    assert!(
        sheet.contains(r#"<pageSetup paperSize="9" scale="75" orientation="landscape""#),
        "{sheet}"
    );
    // Pages break only where a question's block begins (columns I, O, U, AA, AG
    // hold 班子建设 … 群众评价; zero-based 8, 14, 20, 26, 32, then 满意率 at 38).
    let breaks: Vec<u32> = sheet
        .split("<brk id=\"")
        .skip(1)
        .map(|b| b.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(!breaks.is_empty());
    assert!(breaks.iter().all(|b| [8, 14, 20, 26, 32, 38].contains(b)), "{breaks:?}");
    // The branch name and both header rows repeat on every page.
    let workbook = xlsx_part(&summary, "xl/workbook.xml");
    assert!(workbook.contains("测评统计!$A:$A,测评统计!$1:$2"), "{workbook}");
}
