//! SPEC §6 checks on scoring forms and ballots: each problem names file,
//! sheet and cell in Chinese, and the rest of the batch is still scored.

use crate::common::*;
use starsheet::issue::BALLOT_FILE_PLACEHOLDER;

/// Runs one bad form beside a good branch; returns the problems and checks the good one.
fn problems_of(form: &FormSpec) -> Vec<String> {
    let inbox = Inbox::new();
    inbox
        .form("bad.xlsx", form)
        .register("bad票.xlsx", &RegisterSpec::uniform(&form.name, 5, "好", "五星"));
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(tier(&eval, "好支部"), "五星", "the batch goes on");
    problems(&eval)
}

fn with_sheet(form: &FormSpec, edit: impl FnOnce(&mut SheetSpec)) -> Vec<String> {
    let inbox = Inbox::new();
    let mut sheet = form.sheet_spec();
    edit(&mut sheet);
    write_xlsx(&inbox.file("bad.xlsx"), &[sheet]);
    inbox.register("bad票.xlsx", &RegisterSpec::uniform(&form.name, 5, "好", "五星"));
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(tier(&eval, "好支部"), "五星", "the batch goes on");
    problems(&eval)
}

#[test]
fn text_that_is_no_number() {
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed[1] = Some(V::S("十八".into()));
    form.self_scores[2] = Some(V::S("满分".into()));
    assert_eq!(
        problems_of(&form),
        [
            "[错误] bad.xlsx › 评分表 › E6：考核得分「十八」不是有效的数字",
            "[警告] bad.xlsx › 评分表 › D7：自评分「满分」不是有效的数字（自评分不影响评定结果）",
        ]
    );
}

#[test]
fn negative_and_over_max_scores() {
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed[0] = Some(V::N(-1.0));
    form.assessed[10] = Some(V::S("7.5分".into()));
    assert_eq!(
        problems_of(&form),
        [
            "[错误] bad.xlsx › 评分表 › E5：考核得分 -1 不能为负数",
            "[错误] bad.xlsx › 评分表 › E15：考核得分 7.5 超过该项满分 7",
        ]
    );
}

#[test]
fn score_cell_merged_with_the_one_above() {
    let form = FormSpec::standard("一支部", "甲党委");
    let got = with_sheet(&form, |s| {
        // E5:E6 merged: one number for two items.
        s.set(4, 4, 8.0).clear(5, 4);
        s.merges.push((4, 4, 5, 4));
    });
    assert_eq!(
        got,
        [
            "[错误] bad.xlsx › 评分表 › E5：考核得分 8 超过该项满分 4",
            "[错误] bad.xlsx › 评分表 › E6：考核得分单元格与上一行合并，无法确定该项得分",
        ]
    );
}

#[test]
fn form_of_another_scheme_version() {
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.maxima[1] = 5.0;
    form.maxima[3] = 3.0;
    form.assessed[3] = Some(V::N(3.0));
    assert_eq!(
        problems_of(&form),
        [
            "[错误] bad.xlsx › 评分表 › C6：「班子建设」中「班子团结」的分值为 5，评星方案为 4；该表可能属于其他版本的方案",
            "[错误] bad.xlsx › 评分表 › C8：「班子建设」中「经费落实」的分值为 3，评星方案为 4；该表可能属于其他版本的方案",
        ]
    );
}

#[test]
fn missing_item_unknown_and_missing_indicators() {
    let form = FormSpec::standard("一支部", "甲党委");
    let got = with_sheet(&form, |s| {
        // Drop 党务公开 (row 9); rename 工作业绩 to 业务工作.
        s.cells.retain(|(r, _, _)| *r != 8);
        for row in 17..20 {
            s.set(row, 0, "业务工作");
        }
    });
    assert_eq!(
        got,
        [
            "[错误] bad.xlsx › 评分表：评分表中没有考评项目「工作业绩」",
            "[错误] bad.xlsx › 评分表 › A5：考评项目「班子建设」有 4 项考评内容，评星方案规定 5 项；该表可能属于其他版本的方案",
            "[错误] bad.xlsx › 评分表 › A18：考评项目「业务工作」不在评星方案「standard」中",
        ]
    );
}

#[test]
fn missing_max_column_and_missing_self_column() {
    let mut no_max = FormSpec::standard("一支部", "甲党委");
    no_max.labels[2] = "说明".into();
    // A form that states no points is checked against the scheme's maxima
    // (with a note, asserted with the other layouts).
    assert_eq!(problems_of(&no_max), Vec::<String>::new());
    let mut no_self = FormSpec::standard("一支部", "甲党委");
    no_self.labels[3] = "说明".into();
    assert_eq!(
        problems_of(&no_self),
        ["[警告] bad.xlsx › 评分表：评分表没有“自评分”列（可用的列名：自评分、自评得分），不检查自评偏高"]
    );
}

#[test]
fn total_row_that_disagrees() {
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.total = Some(V::N(78.0));
    assert_eq!(
        problems_of(&form),
        ["[警告] bad.xlsx › 评分表 › E22：合计行的考核得分 78 与各项之和 80 不一致，按各项之和计算"]
    );
    let mut with_bonus = FormSpec::standard("一支部", "甲党委");
    with_bonus.bonus = Some(V::N(2.0));
    with_bonus.total = Some(V::N(82.0));
    assert_eq!(
        problems_of(&with_bonus),
        Vec::<String>::new(),
        "a total including the bonus is fine"
    );
}

#[test]
fn missing_veto_section_and_item() {
    let form = FormSpec::standard("一支部", "甲党委");
    let got = with_sheet(&form, |s| s.cells.retain(|(r, _, _)| *r < 23));
    // A veto cannot be taken as answered 否 when the form does not answer
    // it: the branch is held, and told what to add.
    assert_eq!(
        got,
        [
            "[错误] bad.xlsx › 评分表：表中没有找到一票否决部分（标题为“一票否决”或“否决条件”或“否决事项”或“否决项目”，方案的事项：\
             「班子成员发生严重违纪违法问题」「发生重大责任事故或群体性事件」「评星定级中弄虚作假」），\
             无法确认是否否决，该支部列为待核实；请补填，或在评星方案 [labels] 的 veto 中写明本地表格的标题"
        ]
    );
    let got = with_sheet(&form, |s| s.cells.retain(|(r, _, _)| *r != 26));
    assert_eq!(
        got,
        [
            "[错误] bad.xlsx › 评分表：一票否决事项「评星定级中弄虚作假」在表中没有找到，无法确认是否否决，该支部列为待核实"
        ]
    );
}

#[test]
fn missing_branch_name_and_parent() {
    let form = FormSpec::standard("一支部", "甲党委");
    let got = with_sheet(&form, |s| {
        s.set(0, 0, "党支部星级评定评分表").clear(1, 0);
    });
    assert_eq!(
        got,
        [
            "[错误] bad.xlsx › 评分表：表内未找到支部名称（请填写“支部名称：……”）；不能仅凭文件名「bad」认定支部，本表未计入",
            "[错误] bad票.xlsx › 登记表：支部「一支部」有测评票，但没有收到评分表，该支部列为待核实",
        ]
    );
    let mut no_parent = FormSpec::standard("一支部", "甲党委");
    no_parent.parent = None;
    assert_eq!(
        problems_of(&no_parent),
        ["[警告] bad.xlsx › 评分表 › A2：未填写所属党组织（所属党组织/上级党组织/所属党委），归入“未填写”"]
    );
}

#[test]
fn preliminary_form_needs_every_self_score() {
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed = vec![None; 16];
    form.self_scores[4] = None;
    assert_eq!(
        problems_of(&form),
        ["[错误] bad.xlsx › 评分表 › D9：自评分未填写（本表为荐星自评，按自评分计算）"]
    );
}

#[test]
fn final_form_with_missing_self_scores() {
    let mut some = FormSpec::standard("一支部", "甲党委");
    some.self_scores[0] = None;
    assert_eq!(
        problems_of(&some),
        ["[警告] bad.xlsx › 评分表 › D5：自评分未填写，该指标不检查自评偏高"]
    );
    let mut none = FormSpec::standard("一支部", "甲党委");
    none.self_scores = vec![None; 16];
    assert_eq!(
        problems_of(&none),
        ["[警告] bad.xlsx › 评分表 › D4：自评分均未填写，不检查自评偏高"]
    );
}

#[test]
fn ballot_indicator_filled_on_the_form_is_ignored_with_a_note() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("一支部", "甲党委");
    let mut sheet = form.sheet_spec();
    // A 群众评价 row after the items, scored by hand: rows from 21 move down one.
    for cell in sheet.cells.iter_mut().filter(|c| c.0 >= 20) {
        cell.0 += 1;
    }
    sheet
        .set(20, 0, "群众评价")
        .set(20, 1, "由测评票计算")
        .set(20, 2, 20.0)
        .set(20, 4, 12.0);
    write_xlsx(&inbox.file("a.xlsx"), &[sheet]);
    inbox.register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "较好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        messages(&eval),
        ["[提示] a.xlsx › 评分表 › A21：「群众评价」由测评票计算，评分表中填写的分数不计入"]
    );
    assert_eq!(
        branch(&eval, "一支部").total,
        Some(96.0),
        "80 + 20 × 0.8, not the 12 on the form"
    );
}

#[test]
fn unknown_ballot_mark_is_located_on_the_terminal_and_redacted_in_outputs() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let rows = [
        ["好", "好", "好", "好", "好", "五星"],
        ["好", "还行", "好", "好", "好", "五星"],
        ["好", "好", "好", "好", "好", "七星"],
        ["好", "好", "好", "好", "好", "五星"],
        ["好", "好", "好", "好", "好", "五星"],
    ];
    inbox.register("b.xlsx", &RegisterSpec::rows("一支部", &rows));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[警告] b.xlsx › 登记表 › C6：无法识别的填写「还行」，该题按无效计",
            "[警告] b.xlsx › 登记表 › G7：无法识别的填写「七星」，该题按无效计",
        ]
    );
    let written: Vec<String> = eval.issues.iter().map(|i| i.for_output().to_string()).collect();
    assert_eq!(
        written,
        [
            "[警告] b.xlsx › 登记表：支部「一支部」有一张测评票的填写无法识别，该题按无效计（为保护匿名，具体位置只在终端显示）",
            "[警告] b.xlsx › 登记表：支部「一支部」有一张测评票的填写无法识别，该题按无效计（为保护匿名，具体位置只在终端显示）",
        ]
    );
    let s = branch(&eval, "一支部").ballots.clone().unwrap().detail.unwrap();
    assert_eq!((s.questions[1].invalid, s.stars[0]), (1, 4));
}

#[test]
fn bad_turnout_figures_and_empty_register() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let mut reg = RegisterSpec::uniform("一支部", 5, "好", "五星");
    reg.issued = Some(V::S("约三十".into()));
    inbox.register("b.xlsx", &reg);
    inbox.form("c.xlsx", &FormSpec::standard("二支部", "甲党委"));
    inbox.register("d.xlsx", &RegisterSpec::rows("二支部", &[]));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] b.xlsx › 登记表 › B2：发出票数「约三十」不是有效的整数",
            "[错误] c.xlsx › 评分表：支部「二支部」没有有效的测评票，无法计算「群众评价」，该支部列为待核实",
            "[警告] d.xlsx › 登记表：测评票登记表中没有登记任何测评票",
        ]
    );
}

#[test]
fn register_missing_a_question_column() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let mut reg = RegisterSpec::uniform("一支部", 5, "好", "五星");
    reg.questions[3] = "业务工作".into();
    inbox.register("b.xlsx", &reg);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[警告] b.xlsx › 登记表：测评票登记表缺少测评题目「工作业绩」列，该题按弃权计"]
    );
    assert_eq!(
        branch(&eval, "一支部")
            .ballots
            .as_ref()
            .unwrap()
            .detail
            .as_ref()
            .unwrap()
            .questions[3]
            .abstentions,
        5
    );
}

#[test]
fn duplicate_registers_and_mixed_ballot_layouts() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    inbox.register("b1.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    inbox.register("b2.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    inbox.form("c.xlsx", &FormSpec::standard("二支部", "甲党委"));
    inbox.register("d.xlsx", &RegisterSpec::uniform("二支部", 5, "好", "五星"));
    let mut ballot = SheetSpec::new("票");
    ballot.set(0, 0, "支部名称：二支部").set(2, 0, "测评项目");
    for (k, r) in ["好", "较好", "一般", "差"].iter().enumerate() {
        ballot.set(2, k as u16 + 1, *r);
    }
    ballot.set(3, 0, "班子建设").set(3, 1, "✓");
    write_xlsx(&inbox.file("张三的票.xlsx"), &[ballot]);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] b1.xlsx › 登记表：支部「一支部」的测评票登记表重复提交（另见 b2.xlsx），该支部列为待核实",
            "[错误] b2.xlsx › 登记表：支部「一支部」的测评票登记表重复提交（另见 b1.xlsx），该支部列为待核实",
            "[错误] d.xlsx › 登记表：支部「二支部」既有测评票登记表又有单张测评票，无法排除重复计票，该支部列为待核实",
        ]
    );
}

#[test]
fn unreadable_files_do_not_stop_the_batch() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    std::fs::write(inbox.file("坏.xlsx"), b"PK\x03\x04 this zip ends here").unwrap();
    std::fs::write(inbox.file("文本.xlsx"), "支部名称,得分\n一支部,90\n").unwrap();
    let mut other = SheetSpec::new("通讯录");
    other.set(0, 0, "姓名").set(0, 1, "电话");
    write_xlsx(&inbox.file("通讯录.xlsx"), &[other]);
    std::fs::write(inbox.file("~$好支部评分表.xlsx"), b"lock").unwrap();
    std::fs::write(inbox.file("说明.docx"), b"doc").unwrap();
    let eval = inbox.evaluate();
    assert_eq!(
        messages(&eval),
        [
            "[提示] ~$好支部评分表.xlsx：Excel/WPS 打开文件时生成的临时锁定文件，已跳过",
            "[错误] 坏.xlsx：文件已损坏，无法打开（压缩包不完整，文件可能在下载或复制时被截断）",
            "[错误] 文本.xlsx：文件内容不是 Excel/WPS 表格（文件可能已损坏，或只是改了扩展名）",
            "[提示] 说明.docx：不是电子表格文件（支持 .xlsx .xlsm .xls .xlsb .ods），已跳过",
            "[错误] 通讯录.xlsx：文件中没有可识别的评分表、测评票登记表或测评票",
        ]
    );
    assert_eq!(tier(&eval, "好支部"), "五星");
}

#[test]
fn one_voter_ballot_locations_stay_off_written_outputs() {
    let inbox = Inbox::new();
    let mut ballot = SheetSpec::new("李四");
    ballot.set(0, 0, "支部名称：三支部").set(2, 0, "测评项目");
    for (k, r) in ["好", "较好", "一般", "差"].iter().enumerate() {
        ballot.set(2, k as u16 + 1, *r);
    }
    write_xlsx(&inbox.file("李四的测评票.xlsx"), &[ballot]);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[错误] 李四的测评票.xlsx › 李四：支部「三支部」有测评票，但没有收到评分表，该支部列为待核实"]
    );
    let written = eval.issues[0].for_output();
    assert_eq!(
        written.to_string(),
        format!("[错误] {BALLOT_FILE_PLACEHOLDER}：支部「三支部」有测评票，但没有收到评分表，该支部列为待核实")
    );
}

#[test]
fn password_protected_workbook_says_encrypted() {
    let inbox = Inbox::new();
    inbox.copy_fixture("encrypted_password_123456.xlsx", "加密.xlsx");
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[错误] 加密.xlsx：文件已加密：请取消打开密码后重新提交"]
    );
    assert_eq!(tier(&eval, "好支部"), "五星");
}

#[test]
fn forms_of_another_built_in_scheme_get_one_hint_at_the_top() {
    let inbox = Inbox::new();
    for name in ["一支部", "二支部", "三支部"] {
        inbox.form_with_ballots(&FormSpec::standard(name, "甲党委"));
    }
    let eval = inbox.evaluate_with("jiguan");
    let first = &problems(&eval)[0];
    assert_eq!(
        first,
        "[警告] （收件箱）：3 份评分表中有 3 份与所选评星方案「jiguan」不符，却符合内置方案「standard」（党支部星级评定（标准方案））：\
         是否应该用 --scheme standard？下面逐条列出的“不在评星方案中”“分值不一致”等问题多半由此而来"
    );
    assert_eq!(eval.issues.iter().filter(|i| i.code == "other_scheme_fits").count(), 1);
    // With the right scheme, no hint; with one odd form among good ones, none either.
    let eval = inbox.evaluate();
    assert!(eval.issues.iter().all(|i| i.code != "other_scheme_fits"));
    inbox.form("四支部.xlsx", &FormSpec::jiguan("四支部", "甲党委"));
    let eval = inbox.evaluate();
    assert!(eval.issues.iter().all(|i| i.code != "other_scheme_fits"));
}
