//! Forms laid out the many ways branches send them.

use crate::common::*;
use starsheet::layout::BRANCH_SCORING;

/// Full marks but one point lost on the first item: 79 + 20 (all 好) = 99.
fn one_point_lost() -> Vec<f64> {
    let mut s = STANDARD_MAX.to_vec();
    s[0] = 3.0;
    s
}

#[test]
fn every_header_synonym_in_any_column_order() {
    let orders: [[u16; 6]; 4] = [
        [0, 1, 2, 3, 4, 5],
        [5, 4, 3, 2, 1, 0],
        [2, 0, 4, 1, 5, 3],
        [1, 3, 5, 0, 2, 4],
    ];
    for k in 0..3 {
        for (o, cols) in orders.iter().enumerate() {
            let inbox = Inbox::new();
            let mut form = FormSpec::standard("一支部", "甲党委").scores(&one_point_lost());
            let pick = |list: &[&str]| list[k % list.len()].to_string();
            form.labels = BRANCH_SCORING.columns().map(pick);
            form.cols = *cols;
            inbox.form_with_ballots(&form);
            let eval = inbox.evaluate();
            let b = branch(&eval, "一支部");
            assert_eq!(
                b.total,
                Some(99.0),
                "labels {:?} order {o}: {:?}",
                form.labels,
                problems(&eval)
            );
            assert_eq!(b.indicators[0].score, 19.0);
            assert_eq!(
                problems(&eval),
                Vec::<String>::new(),
                "labels {:?} order {o}",
                form.labels
            );
        }
    }
}

#[test]
fn merged_indicator_cells_inherit_downwards() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委").scores(&one_point_lost());
    form.merged = true;
    form.cols = [1, 0, 2, 3, 4, 5]; // the merged column need not be the first
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    let scores: Vec<f64> = branch(&eval, "一支部").indicators.iter().map(|i| i.score).collect();
    assert_eq!(scores, [19.0, 20.0, 20.0, 20.0, 20.0]);
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn scores_as_text_full_width_and_with_fen_suffix() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    let texts = ["4分", "３", " 3.5 ", "４．０", "3.5分", "4", "４分"];
    for (i, t) in texts.iter().enumerate() {
        form.assessed[i] = Some(V::S(t.to_string()));
    }
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    // 班子建设: 4 + 3 + 3.5 + 4 + 3.5; 党员队伍建设: 4 + 4 + 4 + 4 + 4.
    assert_eq!(b.indicators[0].score, 18.0);
    assert_eq!(b.indicators[1].score, 20.0);
    assert_eq!(b.total, Some(98.0));
}

#[test]
fn identity_from_next_cell_and_from_title() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("二支部", "乙党委");
    let mut sheet = form.sheet_spec();
    sheet
        .set(1, 0, "党支部名称")
        .set(1, 1, "二支部")
        .clear(1, 4)
        .set(1, 5, "上级党组织")
        .set(1, 6, "乙党委");
    write_xlsx(&inbox.file("next_cell.xlsx"), &[sheet]);

    let form = FormSpec::standard("三支部", "丙党委");
    let mut sheet = form.sheet_spec();
    sheet.set(0, 0, "2026年度 三支部星级评定评分表").clear(1, 0);
    write_xlsx(&inbox.file("title.xlsx"), &[sheet]);
    for name in ["二支部", "三支部"] {
        inbox.register(&format!("{name}票.xlsx"), &RegisterSpec::uniform(name, 5, "好", "五星"));
    }
    let eval = inbox.evaluate();
    assert_eq!(branch(&eval, "二支部").identity.parent.as_deref(), Some("乙党委"));
    assert_eq!(branch(&eval, "二支部").total, Some(100.0));
    assert_eq!(branch(&eval, "三支部").identity.parent.as_deref(), Some("丙党委"));
    assert_eq!(branch(&eval, "三支部").total, Some(100.0));
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn extra_columns_title_rows_blank_rows_and_notes_are_ignored() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("一支部", "甲党委").scores(&one_point_lost());
    let mut sheet = form.sheet_spec();
    // Shift the whole form down by three rows: extra title lines above the identity.
    for cell in &mut sheet.cells {
        cell.0 += 3;
    }
    sheet.set(0, 0, "中共某某市直机关工作委员会").set(1, 0, "（2026年度）");
    sheet.set(6, 6, "检查方式");
    for i in 0..16 {
        sheet.set(7 + i, 6, "查阅资料、个别访谈");
    }
    sheet
        .set(40, 0, "注：本表一式两份。")
        .set(41, 0, "填表人：张三")
        .set(41, 3, 12.0);
    write_xlsx(&inbox.file("a.xlsx"), &[sheet]);
    inbox.register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(branch(&eval, "一支部").total, Some(99.0));
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn indicator_cells_with_numbering_and_points() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    let decorated = [
        "一、班子建设（20分）",
        "二、党员队伍建设 20分",
        "（三）工作机制\n建设",
        "4. 工作业绩",
    ];
    for (i, ind) in STANDARD_INDICATORS.iter().enumerate() {
        let k = ["班子建设", "党员队伍建设", "工作机制建设", "工作业绩"]
            .iter()
            .position(|n| n == ind)
            .unwrap();
        form.indicators[i] = decorated[k].to_string();
    }
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    assert_eq!(branch(&eval, "一支部").total, Some(100.0));
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn one_workbook_may_hold_form_and_register() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("一支部", "甲党委");
    let register = RegisterSpec::uniform("一支部", 6, "较好", "四星");
    let mut notes = SheetSpec::new("填表说明");
    notes.set(0, 0, "请如实填写");
    write_xlsx(
        &inbox.file("一支部.xlsx"),
        &[
            form.sheet_spec(),
            register.sheet_spec(),
            notes,
            SheetSpec::new("Sheet3"),
        ],
    );
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    assert_eq!(b.total, Some(96.0), "80 + 20 × 0.8");
    assert_eq!(
        messages(&eval),
        ["[提示] 一支部.xlsx › 填表说明：不是评分表、测评票登记表或测评票，已忽略"]
    );
}

/// The standard scheme with a `[labels]` section appended.
fn scheme_with_labels(inbox: &Inbox, labels: &str) -> String {
    let standard = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/standard.toml")).unwrap();
    let path = inbox.file("本地方案.toml");
    std::fs::write(&path, format!("{standard}\n[labels]\n{labels}\n")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_scheme_adds_the_column_titles_and_identity_labels_its_forms_use() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委").scores(&one_point_lost());
    form.labels = [
        "考 核 项 目",
        "评分要点",
        "标准分",
        "党支部自评",
        "党委考评（分）",
        "考评记载",
    ]
    .map(String::from);
    form.identity_labels = ("党组织名称".into(), "主管党委".into());
    inbox.form_with_ballots(&form);

    // Built-in titles alone: 标准分 is the only column known, so the sheet is
    // no form; the message says what it resembles and what to add.
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval)
            .iter()
            .filter(|p| p.contains("一支部评分表.xlsx"))
            .collect::<Vec<_>>(),
        [
            "[错误] 一支部评分表.xlsx：文件中没有可识别的评分表、测评票登记表或测评票",
            "[警告] 一支部评分表.xlsx › 评分表：这张表像评分表（表头在第 4 行），认出了「标准分」（分值栏），\
             但缺少指标栏（可写作：考评项目、指标、项目）、考核得分栏（可写作：考核得分、评定得分、考核评分），本表未读取。\
             若本地表格用的就是这些栏目名称，在评星方案的 [labels] 中写：indicator = [\"考核项目\"]，\
             standard = [\"评分要点\"]，self_score = [\"党支部自评\"]，assessed = [\"党委考评\"]，reason = [\"考评记载\"]",
        ]
    );

    // With the locality's titles (spaces inside and a trailing （分） do not matter).
    let scheme = scheme_with_labels(
        &inbox,
        r#"indicator = ["考核项目"]
standard = ["评分要点"]
self_score = ["党支部自评"]
assessed = ["党委考评"]
reason = ["考评记载"]
name = ["党组织名称"]
parent = ["主管党委"]"#,
    );
    let eval = inbox.evaluate_with(&scheme);
    let b = branch(&eval, "一支部");
    assert_eq!(b.total, Some(99.0), "{:?}", problems(&eval));
    assert_eq!(b.identity.parent.as_deref(), Some("甲党委"));
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn added_titles_are_checked_when_the_scheme_loads() {
    let inbox = Inbox::new();
    let err = |labels: &str| {
        starsheet::scheme::Schemes::with_branch(&scheme_with_labels(&inbox, labels))
            .unwrap_err()
            .to_string()
    };
    assert!(
        err(r#"assessed = ["备注"]"#)
            .ends_with("本地方案.toml 中 labels.assessed 有误：「备注」已是 reason 的内置名称"),
        "{}",
        err(r#"assessed = ["备注"]"#)
    );
    // Keys are checked in form order: self_score before assessed.
    let twice = err("assessed = [\"党委考评\"]\nself_score = [\"党委 考评\"]");
    assert!(
        twice.ends_with("本地方案.toml 中 labels.assessed 有误：「党委考评」也列在 labels.self_score 中"),
        "{twice}"
    );
    assert!(err(r#"reason = [" "]"#).ends_with("中 labels.reason 有误：栏目名称不能为空"));
    assert!(
        err(r#"score = ["得分"]"#).contains("unknown variant `score`, expected one of `indicator`"),
        "{}",
        err(r#"score = ["得分"]"#)
    );
}

#[test]
fn points_in_the_labels_stand_in_for_a_missing_max_column() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委").scores(&one_point_lost());
    // The 分值 column has no title: its numbers are no maxima.
    form.labels[2] = "备用".into();
    for (item, max) in form.items.iter_mut().zip(STANDARD_MAX) {
        *item = format!("{item}（{max}分）");
    }
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    assert_eq!(branch(&eval, "一支部").total, Some(99.0), "{:?}", problems(&eval));
    assert_eq!(problems(&eval), Vec::<String>::new());

    // A label that disagrees with the scheme is found at the label.
    form.items[0] = "支部设置合理（5分）".into();
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] 一支部评分表.xlsx › 评分表 › B5：「班子建设」中「支部设置合理」的分值为 5，评星方案为 4；该表可能属于其他版本的方案"
        ]
    );

    // With a 分值 column as well, the two must agree.
    form.labels[2] = "分值".into();
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] 一支部评分表.xlsx › 评分表 › B5：「支部设置合理（5分）」写明的分值与本行分值栏的 4 不一致，请核对哪一个是对的"
        ]
    );

    // Without a 分值 column and without points anywhere, the scheme's
    // maxima stand: the form is read, said so, and a score above an item's
    // maximum is still caught at its cell.
    let mut bare = FormSpec::standard("二支部", "甲党委").scores(&one_point_lost());
    bare.labels[2] = "备用".into();
    inbox.form_with_ballots(&bare);
    let eval = inbox.evaluate();
    assert_eq!(branch(&eval, "二支部").total, Some(99.0), "{:?}", messages(&eval));
    let note = "[提示] 二支部评分表.xlsx › 评分表：表中没有写明分值（没有“分值”列，项目中也没有“（N分）”），\
                得分按评星方案「standard」的分值核对";
    assert!(messages(&eval).contains(&note.to_string()), "{:?}", messages(&eval));
    let mut five = STANDARD_MAX.to_vec();
    five[0] = 5.0;
    let mut over = FormSpec::standard("三支部", "甲党委").scores(&five);
    over.labels[2] = "备用".into();
    inbox.form_with_ballots(&over);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval)
            .into_iter()
            .filter(|p| p.contains("三支部"))
            .collect::<Vec<_>>(),
        [
            "[警告] 三支部评分表.xlsx › 评分表 › D5：自评分 5 超过该项满分 4（自评分不影响评定结果）",
            "[错误] 三支部评分表.xlsx › 评分表 › E5：考核得分 5 超过该项满分 4"
        ]
    );
}

#[test]
fn a_grouping_column_is_read_past() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委").scores(&one_point_lost());
    form.cols = [1, 2, 3, 4, 5, 6];
    let mut sheet = form.sheet_spec();
    sheet.set(3, 0, "类别");
    // 基础项 over the first three indicators, 加分项 over 工作业绩: a word
    // that must not make its first row the bonus row.
    sheet.set(ITEM_ROW, 0, "基础项");
    sheet.merges.push((ITEM_ROW, 0, ITEM_ROW + 12, 0));
    sheet.set(ITEM_ROW + 13, 0, "加分项");
    sheet.merges.push((ITEM_ROW + 13, 0, ITEM_ROW + 15, 0));
    write_xlsx(&inbox.file("一支部评分表.xlsx"), &[sheet]);
    inbox.register("一支部登记表.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    assert_eq!((b.total, b.bonus), (Some(99.0), 0.0), "{:?}", problems(&eval));
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn one_score_merged_over_an_indicators_items_scores_it_as_a_whole() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("一支部", "甲党委");
    let mut sheet = form.sheet_spec();
    // 班子建设's five items (rows 5–9), one 考核得分 of 18 merged over them.
    sheet.set(ITEM_ROW, 4, 18.0);
    for row in ITEM_ROW + 1..ITEM_ROW + 5 {
        sheet.clear(row, 4);
    }
    sheet.merges.push((ITEM_ROW, 4, ITEM_ROW + 4, 4));
    write_xlsx(&inbox.file("一支部评分表.xlsx"), &[sheet]);
    inbox.register("一支部登记表.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    assert_eq!(b.total, Some(98.0), "{:?}", problems(&eval));
    assert_eq!(problems(&eval), Vec::<String>::new());
    let whole = &b.indicators[0];
    assert_eq!((whole.score, whole.items.len()), (18.0, 1));
    assert_eq!((&*whole.items[0].name, whole.items[0].max), ("班子建设", 20.0));
}

#[test]
fn item_rows_in_another_order_are_matched_by_name() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    // 工作机制建设 (items 10–12) listed as 责任落实到位, 各项制度健全, 工作机制完善.
    for (i, (item, max, score)) in [
        ("责任落实到位", 6.0, 5.0),
        ("各项制度健全", 7.0, 7.0),
        ("工作机制完善", 7.0, 6.0),
    ]
    .into_iter()
    .enumerate()
    {
        form.items[10 + i] = item.into();
        form.maxima[10 + i] = max;
        form.assessed[10 + i] = Some(V::N(score));
        form.self_scores[10 + i] = Some(V::N(score));
    }
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    assert_eq!(problems(&eval), Vec::<String>::new());
    let items: Vec<(&str, f64)> = b.indicators[2].items.iter().map(|i| (&*i.name, i.score)).collect();
    assert_eq!(
        items,
        [("各项制度健全", 7.0), ("工作机制完善", 6.0), ("责任落实到位", 5.0)]
    );
    assert_eq!(b.total, Some(98.0));
}
