//! Fill-in templates: committed copies stay current, protection and
//! validations are in place, and a filled template scores exactly.

use std::path::{Path, PathBuf};

use crate::common::*;
use starsheet::scheme::Schemes;
use starsheet::template;

const SHEET: &str = "xl/worksheets/sheet1.xml";

fn generate(scheme: &str, dir: &Path) -> Vec<PathBuf> {
    template::write_all(&Schemes::with_branch(scheme).unwrap(), dir).unwrap()
}

#[test]
fn committed_templates_are_current() {
    for scheme in ["standard", "jiguan"] {
        let dir = tempfile::tempdir().unwrap();
        generate(scheme, dir.path());
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates").join(scheme);
        assert_eq!(
            hash_tree(dir.path()),
            hash_tree(&committed),
            "run: starsheet template --scheme {scheme} -o templates/{scheme}"
        );
    }
}

#[test]
fn labels_are_locked_and_fill_in_cells_validated() {
    let dir = tempfile::tempdir().unwrap();
    let paths = generate("standard", dir.path());
    for path in &paths {
        let sheet = xlsx_part(path, SHEET);
        assert!(sheet.contains("<sheetProtection sheet=\"1\""), "{path:?} is protected");
        assert!(!sheet.contains("password"), "{path:?} has no password");
        assert!(
            xlsx_part(path, "xl/styles.xml").contains("<protection locked=\"0\"/>"),
            "{path:?} has unlocked cells"
        );
    }
    let form = xlsx_part(&paths[0], SHEET);
    // Every item's self and assessed cells: decimal between 0 and the item max.
    assert!(
        form.contains(
            r#"error="请填写 0 到 4 之间的数字。" sqref="E6:F6"><formula1>0</formula1><formula2>4</formula2>"#
        )
    );
    assert!(form.contains(r#"sqref="E16:F16"><formula1>0</formula1><formula2>7</formula2>"#));
    assert!(form.contains(r#"sqref="E27"><formula1>"是,否"</formula1>"#));
    let register = xlsx_part(&paths[1], SHEET);
    assert!(
        register.contains(r#"sqref="B6:F65"><formula1>"好,较好,一般,差,多选"</formula1>"#),
        "{register}"
    );
    assert!(register.contains(r#"sqref="G6:G65"><formula1>"五星,四星,三星,二星,一星,无星,多选"</formula1>"#));
    let roster = xlsx_part(&paths[3], SHEET);
    assert!(
        roster.contains(r#"sqref="C6:C45"><formula1>0</formula1><formula2>20</formula2>"#),
        "{roster}"
    );
    assert!(roster.contains(r#"sqref="K6:K45"><formula1>"是,否"</formula1>"#));
    // One row per ballot or member: rows may be inserted and deleted; a
    // scheme's items may not.
    for open in [&register, &roster] {
        assert!(open.contains(r#"insertRows="0" deleteRows="0""#), "{open}");
    }
    assert!(!form.contains("insertRows"));
    // Fill-in cells in a fill one can see (and a legend saying so).
    assert!(xlsx_part(&paths[0], "xl/styles.xml").contains("FFFFF2CC"));
    let shared = xlsx_part(&paths[0], "xl/sharedStrings.xml");
    assert!(shared.contains("浅黄色格为填写处"));
    // One title, the scheme named once, beneath it.
    let rows = read_sheet(&paths[0], "评分表");
    assert_eq!(rows[0][0], "党支部星级评定评分表");
    assert!(
        rows[3][0].starts_with("评星方案：党支部星级评定（标准方案）。"),
        "{}",
        rows[3][0]
    );
    // The party-group scheme has no bonus: its form has no row to enter one.
    let group = read_sheet(&paths[4], "考评表");
    assert!(
        group.iter().all(|r| r.iter().all(|c| !c.contains("最高 0 分"))),
        "{group:?}"
    );
    assert!(group.iter().all(|r| r[1] != "加分"));
}

/// Fills the standard scoring form template: assessed = max except two items.
fn fill_form(
    path: &Path,
    name: &str,
    parent: &str,
    assessed: &[f64],
    self_scores: &[f64],
    bonus: f64,
    veto: [&str; 3],
) {
    let mut cells: Vec<(String, V)> = vec![("C2".into(), V::S(name.into())), ("G2".into(), V::S(parent.into()))];
    for (i, (a, s)) in assessed.iter().zip(self_scores).enumerate() {
        let row = template::FORM_FIRST_ITEM + 1 + i as u32;
        cells.push((format!("E{row}"), V::N(*s)));
        cells.push((format!("F{row}"), V::N(*a)));
    }
    let bonus_row = template::FORM_FIRST_ITEM + 1 + assessed.len() as u32 + 1; // after 群众评价
    cells.push((format!("E{bonus_row}"), V::N(bonus)));
    cells.push((format!("F{bonus_row}"), V::N(bonus)));
    for (k, answer) in veto.iter().enumerate() {
        cells.push((format!("E{}", bonus_row + 4 + k as u32), V::S(answer.to_string())));
    }
    let refs: Vec<(&str, V)> = cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect();
    fill_xlsx(path, SHEET, &refs);
}

#[test]
fn filled_standard_templates_score_exactly() {
    let blank = tempfile::tempdir().unwrap();
    let paths = generate("standard", blank.path());
    let inbox = Inbox::new();

    // Branch one: scoring form and a register of 28 ballots.
    let form = inbox.file("一支部评分表.xlsx");
    std::fs::copy(&paths[0], &form).unwrap();
    let mut assessed = STANDARD_MAX.to_vec();
    assessed[0] = 3.5;
    assessed[10] = 6.0;
    fill_form(
        &form,
        "模板一支部",
        "模板党委",
        &assessed,
        &STANDARD_MAX,
        2.0,
        ["否", "否", "否"],
    );
    let register = inbox.file("一支部登记表.xlsx");
    std::fs::copy(&paths[1], &register).unwrap();
    let mut cells: Vec<(String, V)> = vec![
        ("C2".into(), V::S("模板一支部".into())),
        ("C3".into(), V::N(30.0)),
        ("G3".into(), V::N(28.0)),
    ];
    for i in 0..28u32 {
        let row = template::REGISTER_FIRST_ROW + 1 + i;
        let (rating, star) = if i < 20 {
            ("好", "五星")
        } else {
            ("较好", "四星")
        };
        for col in ['B', 'C', 'D', 'E', 'F'] {
            cells.push((format!("{col}{row}"), V::S(rating.into())));
        }
        cells.push((format!("G{row}"), V::S(star.into())));
    }
    fill_xlsx(
        &register,
        SHEET,
        &cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect::<Vec<_>>(),
    );

    // Branch two: scoring form and six one-voter ballots, one of them an over-vote.
    let form = inbox.file("二支部评分表.xlsx");
    std::fs::copy(&paths[0], &form).unwrap();
    let three_quarters: Vec<f64> = STANDARD_MAX.iter().map(|m| m * 0.75).collect();
    fill_form(
        &form,
        "模板二支部",
        "模板党委",
        &three_quarters,
        &STANDARD_MAX,
        0.0,
        ["否", "是", "否"],
    );
    for v in 0..6u32 {
        let ballot = inbox.file(&format!("二支部测评票/{v}.xlsx"));
        std::fs::create_dir_all(ballot.parent().unwrap()).unwrap();
        std::fs::copy(&paths[2], &ballot).unwrap();
        // Questions in rows 5–9, 一般 in column D; 三星 in row 12, column D.
        let mut cells: Vec<(String, V)> = vec![
            ("B2".into(), V::S("模板二支部".into())),
            ("D12".into(), V::S("✓".into())),
        ];
        for row in 5..=9 {
            cells.push((format!("D{row}"), V::S("✓".into())));
        }
        if v == 0 {
            cells.push(("B5".into(), V::S("✓".into())));
        }
        fill_xlsx(
            &ballot,
            SHEET,
            &cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect::<Vec<_>>(),
        );
    }

    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    let one = branch(&eval, "模板一支部");
    // 80 − 0.5 − 1 = 78.5; 群众评价 20 × (20×5×1 + 8×5×0.8) / 140 = 18.857142…; bonus 2.
    assert!(
        (one.total.unwrap() - (78.5 + 20.0 * 132.0 / 140.0 + 2.0)).abs() < 1e-9,
        "{:?}",
        one.total
    );
    assert_eq!(tier(&eval, "模板一支部"), "五星");
    let stats = one.ballots.as_ref().unwrap();
    assert_eq!((stats.issued, stats.returned, stats.counted), (Some(30), Some(28), 28));
    let two = branch(&eval, "模板二支部");
    // 60 + 20 × 0.6 = 72, but 发生重大责任事故 is answered 是: 无星.
    assert_eq!(two.total, Some(72.0));
    assert_eq!(tier(&eval, "模板二支部"), "无星");
    assert_eq!(two.vetoed, ["发生重大责任事故或群体性事件"]);
    assert!(two.flags.self_inflated, "self 80 against assessed 60");
    let stats = two.ballots.as_ref().unwrap();
    let detail = stats.detail.as_ref().unwrap();
    assert_eq!(
        (stats.counted, detail.questions[0].over_votes, detail.stars[2]),
        (6, 1, 6)
    );
}

#[test]
fn filled_jiguan_template_scores_exactly() {
    let blank = tempfile::tempdir().unwrap();
    let paths = generate("jiguan", blank.path());
    let inbox = Inbox::new();
    let form = inbox.file("评分表.xlsx");
    std::fs::copy(&paths[0], &form).unwrap();
    let maxima: Vec<f64> = FormSpec::jiguan("x", "y").maxima;
    let mut assessed = maxima.clone();
    assessed[0] = 3.0;
    // jiguan has no ballot-scored indicator: the bonus row follows the items directly.
    let mut cells: Vec<(String, V)> = vec![
        ("C2".into(), V::S("机关一支部".into())),
        ("G2".into(), V::S("机关党委".into())),
    ];
    for (i, a) in assessed.iter().enumerate() {
        let row = template::FORM_FIRST_ITEM + 1 + i as u32;
        cells.push((format!("E{row}"), V::N(maxima[i])));
        cells.push((format!("F{row}"), V::N(*a)));
    }
    let veto_first = template::FORM_FIRST_ITEM + 1 + maxima.len() as u32 + 4;
    for k in 0..3 {
        cells.push((format!("E{}", veto_first + k), V::S("否".into())));
    }
    fill_xlsx(
        &form,
        SHEET,
        &cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect::<Vec<_>>(),
    );
    let eval = inbox.evaluate_with("jiguan");
    assert_eq!(problems(&eval), Vec::<String>::new());
    assert_eq!(branch(&eval, "机关一支部").total, Some(99.0));
    assert_eq!(tier(&eval, "机关一支部"), "五星");
}

#[test]
fn blank_templates_are_recognised_but_not_attributed() {
    let inbox = Inbox::new();
    generate("standard", inbox.path());
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] 党员星级评定表.xlsx › 党员星级评定表：表内未找到支部名称（请填写“支部名称：……”）；不能仅凭文件名「党员星级评定表」认定支部，本表未计入",
            "[警告] 党员星级评定表.xlsx › 党员星级评定表：党员星级评定表中没有党员",
            "[错误] 党小组考评表.xlsx › 考评表：本表尚未填写（自评分和考核得分均为空），未计入",
            "[错误] 党小组考评表.xlsx › 考评表：表内未找到党小组名称（请填写“党小组名称：……”）；不能仅凭文件名「党小组考评表」认定党小组，本表未计入",
            "[警告] 支部名册.xlsx › 支部名册：支部名册中没有登记任何支部",
            "[错误] 测评票.xlsx › 测评票：表内未找到支部名称（请填写“支部名称：……”）；不能仅凭文件名「测评票」认定支部，本表未计入",
            "[错误] 测评票登记表.xlsx › 测评票登记表：表内未找到支部名称（请填写“支部名称：……”）；不能仅凭文件名「测评票登记表」认定支部，本表未计入",
            "[警告] 测评票登记表.xlsx › 测评票登记表：测评票登记表中没有登记任何测评票",
            "[错误] 评分表.xlsx › 评分表：本表尚未填写（自评分和考核得分均为空），未计入",
            "[错误] 评分表.xlsx › 评分表：表内未找到支部名称（请填写“支部名称：……”）；不能仅凭文件名「评分表」认定支部，本表未计入",
        ]
    );
}

#[test]
fn a_template_shows_cap_items_and_tier_conditions_and_reads_back() {
    let standard =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/standard.toml")).unwrap();
    let scheme = standard.replacen("min = 95\n", "min = 95\nrequires = [\"有党建创新项目\"]\n", 1)
        + "\n[[caps]]\nitems = [\"年度考核不合格\"]\nat_most = \"二星\"\n";
    let dir = tempfile::tempdir().unwrap();
    let scheme_path = dir.path().join("方案.toml");
    std::fs::write(&scheme_path, &scheme).unwrap();
    let schemes = Schemes::with_branch(scheme_path.to_str().unwrap()).unwrap();
    let blank = dir.path().join("blank");
    let paths = template::write_all(&schemes, &blank).unwrap();
    let rows = read_sheet(&paths[0], "评分表");
    let texts: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let bonus_row = template::FORM_FIRST_ITEM as usize + 1 + STANDARD_MAX.len() + 1;
    assert_eq!(
        texts[bonus_row + 2..bonus_row + 10],
        [
            "一票否决事项（任一项为“是”即评为无星）",
            "班子成员发生严重违纪违法问题",
            "发生重大责任事故或群体性事件",
            "评星定级中弄虚作假",
            "一票否决事项（任一项为“是”至多评为二星）",
            "年度考核不合格",
            "评定条件（填“是”或“否”）",
            "有党建创新项目（评为五星须为“是”）",
        ]
    );

    // Filled in as a branch would: full marks, no project, then the cap.
    let inbox = Inbox::new();
    for (name, project, failed) in [("有项目", "是", "否"), ("无项目", "否", "否"), ("不合格", "是", "是")]
    {
        let form = inbox.file(&format!("{name}.xlsx"));
        std::fs::copy(&paths[0], &form).unwrap();
        fill_form(
            &form,
            name,
            "模板党委",
            &STANDARD_MAX,
            &STANDARD_MAX,
            0.0,
            ["否", "否", "否"],
        );
        let at = |offset: usize| format!("E{}", bonus_row + 1 + offset);
        fill_xlsx(
            &form,
            SHEET,
            &[(&at(7), V::S(failed.into())), (&at(9), V::S(project.into()))],
        );
        inbox.register(&format!("{name}票.xlsx"), &RegisterSpec::uniform(name, 5, "好", "五星"));
    }
    let eval = inbox.evaluate_with(scheme_path.to_str().unwrap());
    assert_eq!(problems(&eval), Vec::<String>::new());
    assert_eq!(tier(&eval, "有项目"), "五星");
    assert_eq!(tier(&eval, "无项目"), "四星");
    assert_eq!(tier(&eval, "不合格"), "二星");
}

#[test]
fn a_template_of_a_scheme_with_deductions_and_parts_leaves_the_total_to_the_scoring() {
    let scheme = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/localities/pingxing/方案.toml");
    let schemes = Schemes::with_branch(scheme.to_str().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let paths = template::write_all(&schemes, dir.path()).unwrap();
    let rows = read_sheet(&paths[0], "评分表");
    assert!(
        rows.iter()
            .any(|r| r[0].ends_with("浅黄色格为填写处。减分项填扣除的分数。")),
        "{rows:?}"
    );
    // A plain SUM would add the deduction and ignore the weights.
    let total = rows.iter().find(|r| r[1] == "合计").unwrap();
    assert_eq!(total[4..6], ["", ""]);
    assert!(!xlsx_part(&paths[0], SHEET).contains("SUM("));
}
