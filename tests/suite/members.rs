//! Party-member star ratings (rosters) and party-group assessment.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use starsheet::results::{MemberResult, Status};
use starsheet::scheme::Schemes;
use starsheet::{Evaluation, Plan};

fn member<'a>(eval: &'a Evaluation, name: &str) -> &'a MemberResult {
    eval.members
        .iter()
        .find(|m| m.assessment.identity.name == name)
        .unwrap_or_else(|| panic!("no member {name}"))
}

fn member_tier(eval: &Evaluation, name: &str) -> String {
    let m = member(eval, name);
    match (m.assessment.status, m.assessment.tier) {
        (Status::Rated, Some(t)) => eval.schemes.member.tier(t).name.clone(),
        _ => "待核实".into(),
    }
}

#[test]
fn member_totals_and_tiers_on_their_boundaries() {
    let inbox = Inbox::new();
    inbox.roster(
        "一支部党员.xlsx",
        "一支部",
        Some("甲党委"),
        &[
            ("甲", [18., 18., 18., 18., 17.5], 0., false), // 89.5: 四星
            ("乙", [18., 18., 18., 18., 18.], 0., false),  // 90: 五星
            ("丙", [20., 20., 20., 20., 18.], 5., false),  // 98 + 5 capped at 100
            ("丁", [12., 12., 12., 12., 11.5], 0., false), // 59.5: 二星
            ("戊", [12., 12., 12., 12., 12.], 0., false),  // 60: 三星
            ("己", [20., 20., 20., 20., 20.], 0., true),   // 不予评星 whatever the points
            ("庚", [16., 16., 16., 16., 15.5], 0., false), // 79.5: 三星
            ("辛", [16., 16., 16., 16., 16.], 6., false),  // bonus 6 counts as 5: 85
        ],
    );
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[警告] 一支部党员.xlsx › 党员星级评定表 › H11：加分 6 超过方案上限 5，按 5 分计"]
    );
    let got: Vec<(String, Option<f64>, String)> = eval
        .members
        .iter()
        .map(|m| {
            (
                m.assessment.identity.name.clone(),
                m.assessment.total,
                member_tier(&eval, &m.assessment.identity.name),
            )
        })
        .collect();
    let expected = [
        ("甲", 89.5, "四星"),
        ("乙", 90.0, "五星"),
        ("丙", 100.0, "五星"),
        ("丁", 59.5, "二星"),
        ("戊", 60.0, "三星"),
        ("己", 100.0, "不予评星"),
        ("庚", 79.5, "三星"),
        ("辛", 85.0, "四星"),
    ]
    .map(|(n, t, tier)| (n.to_string(), Some(t), tier.to_string()));
    assert_eq!(got, expected);
    assert_eq!(
        member(&eval, "己").assessment.vetoed,
        ["存在严重违纪违法等问题，不予评星"]
    );
    assert_eq!(member(&eval, "甲").branch.parent.as_deref(), Some("甲党委"));
    // Mentees (二星 and below, 不予评星 included) take the five-star members in turn.
    let mentors: Vec<(&str, Option<&str>)> = eval
        .members
        .iter()
        .filter(|m| m.mentee)
        .map(|m| (m.assessment.identity.name.as_str(), m.mentor.as_deref()))
        .collect();
    assert_eq!(mentors, [("丁", Some("丙")), ("己", Some("乙"))]);
}

/// Members with the given totals, as 5 equal aspects.
fn with_totals(names: &[(&'static str, f64)]) -> Vec<MemberRow<'static>> {
    names.iter().map(|(n, t)| (*n, [t / 5.0; 5], 0.0, false)).collect()
}

#[test]
fn mentors_are_spread_evenly_and_missing_ones_flagged() {
    let inbox = Inbox::new();
    inbox.roster(
        "零.xlsx",
        "零支部",
        Some("甲党委"),
        &with_totals(&[("零甲", 85.0), ("零乙", 50.0), ("零丙", 55.0)]),
    );
    inbox.roster(
        "一.xlsx",
        "一支部",
        Some("甲党委"),
        &with_totals(&[
            ("一甲", 95.0),
            ("一乙", 50.0),
            ("一丙", 40.0),
            ("一丁", 55.0),
            ("一戊", 70.0),
        ]),
    );
    let mut several = vec![("多A", 99.0), ("多B", 95.0), ("多C", 92.0)];
    several.extend([
        ("多1", 50.0),
        ("多2", 51.0),
        ("多3", 52.0),
        ("多4", 53.0),
        ("多5", 54.0),
        ("多6", 55.0),
        ("多7", 56.0),
    ]);
    inbox.roster("多.xlsx", "多支部", Some("甲党委"), &with_totals(&several));
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    let assigned: BTreeMap<&str, Option<&str>> = eval
        .members
        .iter()
        .filter(|m| m.mentee)
        .map(|m| (m.assessment.identity.name.as_str(), m.mentor.as_deref()))
        .collect();
    let expected: BTreeMap<&str, Option<&str>> = [
        // No five-star member: 需上级指派.
        ("零乙", None),
        ("零丙", None),
        // One: every mentee to it.
        ("一乙", Some("一甲")),
        ("一丙", Some("一甲")),
        ("一丁", Some("一甲")),
        // Several: weakest mentee first to the strongest mentor, in turn.
        ("多1", Some("多A")),
        ("多2", Some("多B")),
        ("多3", Some("多C")),
        ("多4", Some("多A")),
        ("多5", Some("多B")),
        ("多6", Some("多C")),
        ("多7", Some("多A")),
    ]
    .into_iter()
    .collect();
    assert_eq!(assigned, expected);
    assert!(!member(&eval, "一戊").mentee, "三星 is above the mentoring bar");
    let mut load: BTreeMap<&str, usize> = BTreeMap::new();
    for mentor in assigned.values().flatten().filter(|m| m.starts_with('多')) {
        *load.entry(mentor).or_default() += 1;
    }
    let (min, max) = (load.values().min().unwrap(), load.values().max().unwrap());
    assert!(max - min <= 1, "no mentor carries two more than another: {load:?}");
}

#[test]
fn roster_problems_name_their_cells() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    let mut sheet = roster_sheet(
        "一支部",
        Some("甲党委"),
        &[
            ("张三", [21., 18., 18., 18., 18.], 0., false),
            ("李四", [18., 18., 18., 18., 18.], 0., false),
            ("王五", [18., 18., 18., 18., 18.], 0., false),
            ("张三", [18., 18., 18., 18., 18.], 0., false),
            ("赵六", [18., 18., 18., 18., 18.], 0., false),
            ("钱七", [18., 18., 18., 18., 18.], 1., false),
        ],
    );
    sheet.set(4, 3, "良"); // 李四 敬业
    sheet.clear(5, 4); // 王五 效能
    sheet.set(7, 9, "待定"); // 赵六 不予评星
    sheet.set(8, 8, 90.0); // 钱七 联评总分, computed 91
    sheet.set(9, 2, 15.0); // a row with scores but no name
    write_xlsx(&inbox.file("一支部党员.xlsx"), &[sheet]);
    inbox.roster(
        "二支部党员.xlsx",
        "二支部",
        Some("甲党委"),
        &[("孙八", [18.; 5], 0., false)],
    );
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] 一支部党员.xlsx › 党员星级评定表 › C4：学习 21 超过该项满分 20",
            "[错误] 一支部党员.xlsx › 党员星级评定表 › D5：敬业「良」不是有效的数字",
            "[错误] 一支部党员.xlsx › 党员星级评定表 › E6：「效能」未填写",
            "[错误] 一支部党员.xlsx › 党员星级评定表 › B7：党员「张三」在本表重复出现（另见 B4），两行均列为待核实",
            "[错误] 一支部党员.xlsx › 党员星级评定表 › J8：一票否决事项「不予评星」填写为「待定」，无法识别；请填写“是”或“否”",
            "[警告] 一支部党员.xlsx › 党员星级评定表 › I9：联评总分 90 与各项之和 91 不一致，按各项之和计算",
            "[错误] 一支部党员.xlsx › 党员星级评定表 › B10：这一行有分数，但姓名未填写",
            "[错误] 二支部党员.xlsx › 党员星级评定表：党员星级评定表所属支部「二支部」没有收到评分表（请核对支部名称），该支部列为待核实，党员照常评定",
        ]
    );
    let states: Vec<(&str, String)> = eval
        .members
        .iter()
        .map(|m| {
            (
                m.assessment.identity.name.as_str(),
                member_tier(&eval, &m.assessment.identity.name),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("张三", "待核实".into()),
            ("李四", "待核实".into()),
            ("王五", "待核实".into()),
            ("张三", "待核实".into()),
            ("赵六", "待核实".into()),
            ("钱七", "五星".into()),
            ("孙八", "五星".into()),
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "五星", "member problems do not touch the branch");
}

#[test]
fn two_rosters_for_one_branch_hold_its_members() {
    let inbox = Inbox::new();
    inbox.roster("a.xlsx", "一支部", Some("甲党委"), &[("张三", [18.; 5], 0., false)]);
    inbox.roster("b.xlsx", "一支部", Some("甲党委"), &[("李四", [18.; 5], 0., false)]);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] a.xlsx › 党员星级评定表：支部「一支部」的党员星级评定表重复提交（另见 b.xlsx），该支部党员列为待核实",
            "[错误] b.xlsx › 党员星级评定表：支部「一支部」的党员星级评定表重复提交（另见 a.xlsx），该支部党员列为待核实",
        ]
    );
    assert!(eval.members.iter().all(|m| m.assessment.status == Status::Pending));
}

#[test]
fn party_group_tiers_on_their_boundaries() {
    let maxima = item_maxima("group");
    let summing_to = |sum: f64| summing_to(&maxima, sum);
    let inbox = Inbox::new();
    let cases = [
        (95.0, "优秀"),
        (94.99, "合格"),
        (80.0, "合格"),
        (79.99, "基本合格"),
        (60.0, "基本合格"),
        (59.99, "不合格"),
    ];
    for (i, (total, _)) in cases.iter().enumerate() {
        let form = FormSpec::group(&format!("第{i}党小组"), "一支部").scores(&summing_to(*total));
        inbox.form(&format!("{i}.xlsx"), &form);
    }
    let out = tempfile::tempdir().unwrap();
    let mut plan = Plan::new(inbox.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.path().to_path_buf());
    let outcome = starsheet::score(&plan).unwrap();
    let eval = &outcome.evaluation;
    assert_eq!(
        problems(eval),
        Vec::<String>::new(),
        "group forms need no ballots and no veto section"
    );
    assert!(eval.branches.is_empty(), "a group form is not a branch form");
    for (i, (total, expected)) in cases.iter().enumerate() {
        let g = eval
            .groups
            .iter()
            .find(|g| g.identity.name == format!("第{i}党小组"))
            .unwrap();
        assert_eq!(g.total, Some(*total));
        assert_eq!(eval.schemes.group.tier(g.tier.unwrap()).name, *expected, "{total}");
        assert_eq!(g.identity.parent.as_deref(), Some("一支部"));
    }
    let rows = read_sheet(&out.path().join(starsheet::SUMMARY_FILE), "党小组排名");
    assert_eq!(rows[0][..4], ["排名", "组织内排名", "党小组名称", "所属党支部"]);
    assert!(
        !rows[0]
            .iter()
            .any(|h| h == "星级" || h.ends_with("单项星") || h == "一票否决"),
        "{:?}",
        rows[0]
    );
    let col = rows[0].iter().position(|h| h == "等次").unwrap();
    let ranked: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[2].as_str(), r[col].as_str())).collect();
    assert_eq!(
        ranked,
        [
            ("第0党小组", "优秀"),
            ("第1党小组", "合格"),
            ("第2党小组", "合格"),
            ("第3党小组", "基本合格"),
            ("第4党小组", "基本合格"),
            ("第5党小组", "不合格"),
        ]
    );
}

/// A round with branches and rosters, written out.
fn mixed_round(out: &Path) -> Evaluation {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    inbox.form_with_ballots(&FormSpec::standard("二支部", "甲党委"));
    inbox.roster(
        "一支部党员.xlsx",
        "一支部",
        None,
        &[
            ("张三", [19.; 5], 0., false),
            ("李四", [11.; 5], 0., false),
            ("王五", [17.; 5], 0., false),
        ],
    );
    inbox.roster(
        "二支部党员.xlsx",
        "二支部",
        None,
        &[("赵六", [11.; 5], 0., false), ("钱七", [16.; 5], 0., false)],
    );
    let mut plan = Plan::new(inbox.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.to_path_buf());
    plan.json = Some(out.join("results.json"));
    starsheet::score(&plan).unwrap().evaluation
}

#[test]
fn member_summary_report_list_mentoring_list_and_all_members() {
    let out = tempfile::tempdir().unwrap();
    let eval = mixed_round(out.path());
    assert_eq!(problems(&eval), Vec::<String>::new());
    let path = out.path().join("党员星级汇总.xlsx");
    let report = read_sheet(&path, "上报名单");
    assert_eq!(
        report,
        [
            ["序号", "支部名称", "所属党组织", "姓名", "总分"],
            ["1", "一支部", "甲党委", "张三", "95"]
        ]
        .map(|r| r.map(String::from).to_vec())
    );
    let mentoring = read_sheet(&path, "帮扶名单");
    assert_eq!(
        mentoring,
        [
            ["序号", "支部名称", "所属党组织", "姓名", "总分", "星级", "帮扶指导员"],
            ["1", "一支部", "甲党委", "李四", "55", "★★☆☆☆ 二星", "张三"],
            ["2", "二支部", "甲党委", "赵六", "55", "★★☆☆☆ 二星", "需上级指派"],
        ]
        .map(|r| r.map(String::from).to_vec())
    );
    let all = read_sheet(&path, "党员星级总表");
    assert_eq!(all.len(), 1 + 5);
    assert_eq!(
        all[0],
        [
            "支部名称",
            "所属党组织",
            "姓名",
            "学习",
            "敬业",
            "效能",
            "服务",
            "廉洁",
            "加分",
            "总分",
            "星级",
            "帮扶指导员",
            "标记"
        ]
    );
    assert_eq!(all[3][..3], ["一支部", "甲党委", "王五"]);
    assert_eq!(all[3][9..12], ["85", "★★★★☆ 四星", ""]);

    // Each branch's feedback lists its own members only.
    let one = read_sheet(&out.path().join("反馈/甲党委/一支部.xlsx"), "党员星级");
    let names: Vec<&str> = one[3..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names, ["张三", "李四", "王五"]);
    assert_eq!(one[4][9..], ["★★☆☆☆ 二星", "张三"]);
    let two = read_sheet(&out.path().join("反馈/甲党委/二支部.xlsx"), "党员星级");
    let names: Vec<&str> = two[3..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names, ["赵六", "钱七"]);

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("results.json")).unwrap()).unwrap();
    let members = json["members"].as_array().unwrap();
    assert_eq!(members.len(), 5);
    assert_eq!(members[1]["name"], "李四");
    assert_eq!(members[1]["branch"], "一支部");
    assert_eq!(members[1]["branch_parent"], "甲党委");
    assert_eq!(members[1]["tier"], "二星");
    assert_eq!(members[1]["mentor"], "张三");
    assert_eq!(members[1]["aspects"][0]["score"], 11.0);
}

#[test]
fn a_members_only_round_sends_each_branch_its_members() {
    let inbox = Inbox::new();
    inbox.roster("a.xlsx", "一支部", Some("甲党委"), &[("张三", [19.; 5], 0., false)]);
    let out = tempfile::tempdir().unwrap();
    let mut plan = Plan::new(inbox.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.path().to_path_buf());
    let outcome = starsheet::score(&plan).unwrap();
    assert_eq!(problems(&outcome.evaluation), Vec::<String>::new());
    let feedback = out.path().join("反馈/甲党委/一支部.xlsx");
    let sheets = {
        use calamine::Reader;
        calamine::open_workbook_auto(&feedback).unwrap().sheet_names()
    };
    assert_eq!(sheets, ["党员星级"]);
}

#[test]
fn filled_roster_and_group_templates_score_exactly() {
    let blank = tempfile::tempdir().unwrap();
    let paths = starsheet::template::write_all(&Schemes::with_branch("standard").unwrap(), blank.path()).unwrap();
    let inbox = Inbox::new();
    let roster = inbox.file("党员.xlsx");
    std::fs::copy(&paths[3], &roster).unwrap();
    // Template: 支部名称 in C2, 所属党组织 in J2, members from row 6: B name, C–G aspects, H bonus, K 不予评星.
    let mut cells: Vec<(String, V)> = vec![
        ("C2".into(), V::S("模板支部".into())),
        ("J2".into(), V::S("模板党委".into())),
    ];
    for (i, (name, aspect, bonus, veto)) in [
        ("甲", 18.0, 2.0, "否"),
        ("乙", 12.0, 0.0, "否"),
        ("丙", 20.0, 0.0, "是"),
    ]
    .iter()
    .enumerate()
    {
        let row = 6 + i;
        cells.push((format!("B{row}"), V::S(name.to_string())));
        for col in ['C', 'D', 'E', 'F', 'G'] {
            cells.push((format!("{col}{row}"), V::N(*aspect)));
        }
        cells.push((format!("H{row}"), V::N(*bonus)));
        cells.push((format!("K{row}"), V::S(veto.to_string())));
    }
    fill_xlsx(
        &roster,
        "xl/worksheets/sheet1.xml",
        &cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect::<Vec<_>>(),
    );
    let group = inbox.file("党小组.xlsx");
    std::fs::copy(&paths[4], &group).unwrap();
    let mut cells: Vec<(String, V)> = vec![
        ("C2".into(), V::S("第一党小组".into())),
        ("G2".into(), V::S("模板支部".into())),
    ];
    let maxima = FormSpec::group("x", "y").maxima;
    for (i, max) in maxima.iter().enumerate() {
        let row = starsheet::template::FORM_FIRST_ITEM + 1 + i as u32;
        cells.push((format!("E{row}"), V::N(*max)));
        cells.push((format!("F{row}"), V::N(if i == 0 { max - 6.0 } else { *max })));
    }
    fill_xlsx(
        &group,
        "xl/worksheets/sheet1.xml",
        &cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect::<Vec<_>>(),
    );
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    let got: Vec<(&str, Option<f64>, String)> = eval
        .members
        .iter()
        .map(|m| {
            (
                m.assessment.identity.name.as_str(),
                m.assessment.total,
                member_tier(&eval, &m.assessment.identity.name),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("甲", Some(92.0), "五星".into()),
            ("乙", Some(60.0), "三星".into()),
            ("丙", Some(100.0), "不予评星".into())
        ]
    );
    assert_eq!(member(&eval, "甲").branch.parent.as_deref(), Some("模板党委"));
    let g = &eval.groups[0];
    assert_eq!(
        (g.identity.name.as_str(), g.identity.parent.as_deref(), g.total),
        ("第一党小组", Some("模板支部"), Some(94.0))
    );
    assert_eq!(eval.schemes.group.tier(g.tier.unwrap()).name, "合格");
}
