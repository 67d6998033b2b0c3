//! A form's structure as a person reads it: lines under the table, a form
//! over several sheets, 是/否 blocks anywhere, tallies as offices make them,
//! the scheme rules such forms need, and messages that name the cause.

use crate::common::*;
use crate::local_rules::{TIERS, evaluate_text, outputs_of, row_form};
use starsheet::scheme::{Scheme, Schemes};
use starsheet::{Evaluation, Plan};

/// Two indicators, 甲 60 and 乙 40, scored on the form.
fn two(extra: &str) -> String {
    format!(
        "name = \"两项\"\ntitle = \"两项\"\ntotal_cap = 100\n{extra}\n\
         [[indicators]]\nname = \"甲\"\nmax = 60\n\n[[indicators]]\nname = \"乙\"\nmax = 40\n{TIERS}"
    )
}

/// An inbox of workbooks (each a list of sheets), scored with a scheme
/// given as text.
fn evaluate_books(scheme: &str, books: &[(&str, Vec<SheetSpec>)]) -> Evaluation {
    let inbox = Inbox::new();
    let path = inbox.file("方案.toml");
    std::fs::write(&path, scheme).unwrap();
    for (name, sheets) in books {
        write_xlsx(&inbox.file(&format!("收件箱/{name}")), sheets);
    }
    let schemes = Schemes::with_branch(path.to_str().unwrap()).unwrap();
    starsheet::evaluate(&Plan::new(inbox.file("收件箱"), schemes)).unwrap()
}

#[test]
fn lines_under_the_table_state_a_total_or_a_tier_and_are_never_indicators() {
    let mut form = row_form("一支部", &[("甲", 60.0, V::N(55.0)), ("乙", 40.0, V::N(35.0))]);
    form.set(6, 0, "综合考评得分").set(6, 3, 88.0);
    form.set(7, 0, "评定星级：四星");
    form.set(8, 0, "通过线：80分");
    form.set(9, 0, "党支部书记（签字）：");
    let mut labelled = row_form("二支部", &[("甲", 60.0, V::N(55.0)), ("乙", 40.0, V::N(35.0))]);
    labelled.set(6, 0, "最终得分：90");
    let eval = evaluate_text(&two("[labels]\ntotal = [\"最终得分\"]\n"), &[form, labelled]);
    for name in ["一支部", "二支部"] {
        assert_eq!(branch(&eval, name).total, Some(90.0));
        assert_eq!(tier(&eval, name), "五星");
    }
    assert_eq!(
        problems(&eval),
        ["[警告] 00.xlsx › 评分表 › D7：「综合考评得分」写明 88，按评星方案计算的总分为 90，以计算结果为准，请核对"]
    );
    assert!(
        messages(&eval)
            .contains(&"[提示] 00.xlsx › 评分表 › A8：表中「评定星级」为四星，按评星方案评定为五星".to_string()),
        "{:#?}",
        messages(&eval)
    );
}

#[test]
fn the_sheets_of_one_workbook_are_one_form_unless_both_hold_it_whole() {
    let scheme = two("");
    let whole = |sheet: &str| {
        let mut form = row_form("二支部", &[("甲", 60.0, V::N(55.0)), ("乙", 40.0, V::N(35.0))]);
        form.name = sheet.into();
        form
    };
    // Split: 甲 on the first sheet with the name, 乙 on the second without.
    let mut first = row_form("一支部", &[("甲", 60.0, V::N(55.0))]);
    first.name = "评分表".into();
    let mut second = row_form("一支部", &[("乙", 40.0, V::N(35.0))]);
    second.name = "评分表（续）".into();
    second.clear(0, 0).clear(1, 0);
    let eval = evaluate_books(
        &scheme,
        &[
            ("split.xlsx", vec![first, second]),
            ("twice.xlsx", vec![whole("甲"), whole("乙")]),
        ],
    );
    assert_eq!(branch(&eval, "一支部").total, Some(90.0));
    assert_eq!(tier(&eval, "二支部"), "待核实");
    assert_eq!(
        problems(&eval),
        [
            "[错误] twice.xlsx › 乙：支部「二支部」的评分表重复提交（另见 同一文件的工作表「甲」），该支部列为待核实",
            "[错误] twice.xlsx › 甲：支部「二支部」的评分表重复提交（另见 同一文件的工作表「乙」），该支部列为待核实",
        ]
    );
}

#[test]
fn a_veto_block_anywhere_under_a_local_title_answered_you_or_wu() {
    let scheme = two("[labels]\nveto = [\"四无\"]\n\n[veto]\ntier = \"一星\"\nitems = [\"违法违纪\", \"安全事故\"]\n");
    let with_block = |name: &str, answer: &str| {
        let mut form = row_form(name, &[("甲", 60.0, V::N(55.0)), ("乙", 40.0, V::N(35.0))]);
        // The block above the table: moved down to make room.
        let mut moved = SheetSpec::new("评分表");
        for (r, c, v) in &form.cells {
            moved.set(r + 5, *c, v.clone());
        }
        moved.set(0, 0, format!("支部名称：{name}").as_str());
        moved.set(1, 0, "四无（有/无）");
        moved.set(2, 0, "违法违纪").set(2, 3, "无");
        moved.set(3, 0, "安全事故").set(3, 3, answer);
        form = moved;
        form
    };
    let bare = row_form("三支部", &[("甲", 60.0, V::N(55.0)), ("乙", 40.0, V::N(35.0))]);
    let eval = evaluate_text(&scheme, &[with_block("一支部", "无"), with_block("二支部", "有"), bare]);
    assert_eq!(tier(&eval, "一支部"), "五星");
    assert_eq!(tier(&eval, "二支部"), "一星");
    assert_eq!(branch(&eval, "二支部").vetoed, ["安全事故"]);
    // No block on the form: the branch is held, told what is missing.
    assert_eq!(tier(&eval, "三支部"), "待核实");
    assert_eq!(
        problems(&eval),
        [
            "[错误] 02.xlsx › 评分表：表中没有找到一票否决部分（标题为“一票否决”或“否决条件”或“否决事项”或“否决项目”或“四无”，方案的事项：「违法违纪」「安全事故」），\
             无法确认是否否决，该支部列为待核实；请补填，或在评星方案 [labels] 的 veto 中写明本地表格的标题"
        ]
    );
}

#[test]
fn tallies_of_many_branches_check_their_stated_rate_and_count_sheets_take_the_heading() {
    let scheme = format!(
        "name = \"测评\"\ntitle = \"测评\"\ntotal_cap = 100\n\n[[indicators]]\nname = \"甲\"\nmax = 80\n\n\
         [[indicators]]\nname = \"群众评价\"\nmax = 20\nsource = \"ballot\"\n{TIERS}\n\
         [ballot]\nquestions = [\"满意度\"]\nratings = [\n  {{ label = \"满意\", value = 1.0, satisfied = true }},\n  \
         {{ label = \"基本满意\", value = 1.0, satisfied = true }},\n  {{ label = \"不满意\", value = 0.0 }},\n]\n"
    );
    let form = |name: &str| row_form(name, &[("甲", 80.0, V::N(76.0))]);
    let mut table = SheetSpec::new("汇总");
    for (c, t) in [
        "党组织名称",
        "发放票数",
        "收回票数",
        "满意",
        "基本满意",
        "不满意",
        "满意率",
    ]
    .iter()
    .enumerate()
    {
        table.set(0, c as u16, *t);
    }
    let rows = [
        ("一支部", 20.0, 20.0, 15.0, 3.0, 2.0, "90%"),
        ("二支部", 10.0, 10.0, 8.0, 1.0, 1.0, "80%"),
    ];
    for (r, (name, issued, returned, a, b, c, rate)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        table.set(row, 0, *name).set(row, 1, *issued).set(row, 2, *returned);
        table.set(row, 3, *a).set(row, 4, *b).set(row, 5, *c).set(row, 6, *rate);
    }
    let mut counts = SheetSpec::new("统计");
    counts.set(0, 0, "三支部群众满意度测评统计表");
    for (c, t) in ["满意", "基本满意", "不满意"].iter().enumerate() {
        counts.set(2, c as u16, *t);
    }
    counts.set(3, 0, 9.0).set(3, 1, 1.0).set(3, 2, 0.0);
    let eval = evaluate_books(
        &scheme,
        &[
            ("一.xlsx", vec![form("一支部")]),
            ("二.xlsx", vec![form("二支部")]),
            ("三.xlsx", vec![form("三支部")]),
            ("汇总.xlsx", vec![table]),
            ("三支部统计.xlsx", vec![counts]),
        ],
    );
    assert_eq!(branch(&eval, "一支部").total, Some(76.0 + 18.0));
    assert_eq!(branch(&eval, "二支部").total, Some(76.0 + 18.0));
    assert_eq!(branch(&eval, "三支部").total, Some(76.0 + 20.0));
    assert_eq!(
        problems(&eval),
        ["[警告] 汇总.xlsx › 汇总 › G3：写明的满意率 80% 与各栏票数算出的 90.0% 不一致，按票数计算，请核对"]
    );
}

#[test]
fn scores_weighted_from_both_columns_and_levels_are_checked_at_load() {
    let err = |extra: &str| Scheme::parse(&two(extra), "t.toml").unwrap_err().to_string();
    assert_eq!(
        err("[score_columns]\nself = 0.4\nassessed = 0.5\n"),
        "评星方案 t.toml 中 score_columns 有误：两栏权重之和为 0.9，必须为 1（各项得分才不超过其分值）"
    );
    assert_eq!(
        err("[score_columns]\nself = 0\nassessed = 1\n"),
        "评星方案 t.toml 中 score_columns.self 有误：权重必须在 0 到 1 之间"
    );
    let level = |rule: &str| two("").replacen("min = 90\n", &format!("min = 90\nlevel = {rule}\n"), 1);
    let err = |text: String| Scheme::parse(&text, "t.toml").unwrap_err().to_string();
    assert_eq!(
        err(level("{ indicators = [\"丙\"], share = 0.8 }")),
        "评星方案 t.toml 中 tiers[0]（五星）.level.indicators[0] 有误：指标「丙」不存在"
    );
    assert_eq!(
        err(level("{ indicators = [\"甲\"] }")),
        "评星方案 t.toml 中 tiers[0]（五星）.level 有误：要写明达标线：share（满分的比例）或 medal（单项星）之一"
    );
    assert_eq!(
        err(level("{ indicators = [\"甲\"], share = 80 }")),
        "评星方案 t.toml 中 tiers[0]（五星）.level.share 有误：比例必须在 0 到 1 之间"
    );
    // Weighted: 0.4 × self + 0.6 × assessed, item by item.
    let mut form = row_form("一支部", &[("甲", 60.0, V::N(50.0)), ("乙", 40.0, V::N(40.0))]);
    form.set(4, 2, 60.0);
    let eval = evaluate_text(&two("[score_columns]\nself = 0.4\nassessed = 0.6\n"), &[form]);
    assert_eq!(branch(&eval, "一支部").total, Some(0.4 * 60.0 + 0.6 * 50.0 + 40.0));
}

#[test]
fn tiers_named_without_stars_print_their_names_alone() {
    let tiers = TIERS
        .replace("name = \"五星\"", "name = \"先进\"")
        .replace("stars = 5\n", "")
        .replace("stars = 4\n", "")
        .replace("stars = 3\n", "")
        .replace("stars = 2\n", "")
        .replace("stars = 1\n", "");
    let scheme = two("").replace(TIERS, &tiers);
    let inbox = outputs_of(
        &scheme,
        &[row_form(
            "一支部",
            &[("甲", 60.0, V::N(58.0)), ("乙", 40.0, V::N(40.0))],
        )],
    );
    let public = read_sheet(&inbox.file("结果/亮星公示.xlsx"), "亮星公示");
    let text: Vec<&String> = public.iter().flatten().filter(|c| !c.is_empty()).collect();
    assert!(text.iter().any(|c| c.contains("先进")), "{text:?}");
    assert!(!text.iter().any(|c| c.contains('★') || c.contains('☆')), "{text:?}");
    let ranking = read_sheet(&inbox.file("结果/汇总排名.xlsx"), "总排名");
    assert!(!ranking.iter().flatten().any(|c| c.contains('★')), "{ranking:?}");
}

#[test]
fn a_branch_held_for_ballots_is_told_which_file_beside_it_was_not_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realworld/A");
    let scheme = std::fs::read_to_string(dir.join("方案.toml"))
        .unwrap()
        .replace("基本满意", "较好");
    let inbox = Inbox::new();
    let path = inbox.file("方案.toml");
    std::fs::write(&path, scheme).unwrap();
    std::fs::create_dir(inbox.file("收件箱")).unwrap();
    for entry in std::fs::read_dir(dir.join("收件箱")).unwrap() {
        let from = entry.unwrap().path();
        let rel = from
            .strip_prefix(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
            .unwrap();
        inbox.copy_fixture(
            rel.to_str().unwrap(),
            &format!("收件箱/{}", from.file_name().unwrap().to_string_lossy()),
        );
    }
    let schemes = Schemes::with_branch(path.to_str().unwrap()).unwrap();
    let eval = starsheet::evaluate(&Plan::new(inbox.file("收件箱"), schemes)).unwrap();
    let held: Vec<String> = problems(&eval)
        .into_iter()
        .filter(|m| m.contains("没有有效的测评票"))
        .collect();
    assert_eq!(held.len(), 3);
    assert_eq!(
        held[0],
        "[错误] 市财政局机关第一党支部.xlsx › 评分表：同一文件夹中「满意度测评汇总表.xlsx」未能读取（工作表「测评汇总」\
         这张表像测评票或测评汇总表（第 3 行），但其中的评价等次「满意」「基本满意」「不满意」与评星方案的「满意」「较好」「不满意」不同，\
         本表未读取；若本地用这些等次，在评星方案的 [ballot] ratings 中写明每个等次及其分值），\
         因此支部「市财政局机关第一党支部」没有有效的测评票，无法计算「群众评价」，该支部列为待核实"
    );
}

#[test]
fn label_advice_never_proposes_a_column_holding_another_role() {
    // 考核内容 here holds the indicators, merged over their rows; the items
    // stand under 考核要点. The form is not read (no indicator title known),
    // and the advice names the column that holds items.
    let mut s = SheetSpec::new("评分表");
    s.set(0, 0, "支部名称：一支部");
    for (c, t) in ["考核内容", "考核要点", "分值", "党委考评"].iter().enumerate() {
        s.set(2, c as u16, *t);
    }
    let rows = [("甲", "甲一", 30.0), ("", "甲二", 30.0), ("乙", "乙一", 40.0)];
    for (r, (ind, item, max)) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        if !ind.is_empty() {
            s.set(row, 0, *ind);
        }
        s.set(row, 1, *item).set(row, 2, *max).set(row, 3, *max);
    }
    s.merges.push((3, 0, 4, 0));
    let eval = evaluate_books(&two(""), &[("表.xlsx", vec![s])]);
    let advice = problems(&eval).join("\n");
    assert!(advice.contains("standard = [\"考核要点\"]"), "{advice}");
    assert!(!advice.contains("standard = [\"考核内容\"]"), "{advice}");
}
