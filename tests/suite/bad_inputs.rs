//! The bad-input catalogue of SPEC §6: each case asserts its Chinese message
//! with file, sheet and cell, and that a good branch in the same batch is
//! still rated.
//!
//! Cases tested elsewhere, with the same two assertions:
//! truncated zip and a text file named .xlsx (`checks::unreadable_files_do_not_stop_the_batch`),
//! password protection (`checks::password_protected_workbook_says_encrypted`),
//! another scheme version (`checks::form_of_another_scheme_version`),
//! negative and over-max scores (`checks::negative_and_over_max_scores`),
//! dates, booleans, errors and formulas (`fixtures::dates_booleans_errors_negative_and_over_max_scores`,
//! `fixtures::formula_without_saved_result_is_an_error_at_its_cell`,
//! `fixtures::formula_with_saved_result_uses_the_result`),
//! duplicates across files (`scoring_rules::duplicate_submissions_name_both_files_and_hold_the_branch`),
//! over-votes and unknown marks (`scoring_rules::over_votes_blank_ballots_and_abstentions_are_counted_apart`,
//! `checks::unknown_ballot_mark_is_located_on_the_terminal_and_redacted_in_outputs`),
//! counted > returned > issued (`scoring_rules::ballot_counts_above_returned_above_issued_are_errors`),
//! missing identity (`checks::missing_branch_name_and_parent`).
//! Hostile sizes are in `limits.rs`.

use crate::common::*;
use starsheet::results::FileStatus;

/// Adds the good branch, evaluates, checks it is still rated 五星.
fn with_good_branch(inbox: &Inbox) -> starsheet::Evaluation {
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(tier(&eval, "好支部"), "五星", "the batch goes on");
    eval
}

#[test]
fn empty_workbook() {
    let inbox = Inbox::new();
    write_xlsx(
        &inbox.file("空白.xlsx"),
        &[SheetSpec::new("Sheet1"), SheetSpec::new("Sheet2")],
    );
    let eval = with_good_branch(&inbox);
    assert_eq!(
        problems(&eval),
        ["[错误] 空白.xlsx：文件中的工作表都是空白的，没有可读取的内容（可能保存前未填写或保存错了文件）"]
    );
}

#[test]
fn sheet_that_is_no_known_form_beside_a_form() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("一支部", "甲党委");
    let mut notes = SheetSpec::new("填表说明");
    notes.set(0, 0, "请各支部于月底前报送");
    write_xlsx(&inbox.file("一支部.xlsx"), &[form.sheet_spec(), notes]);
    inbox.register("一支部票.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = with_good_branch(&inbox);
    assert_eq!(
        messages(&eval),
        ["[提示] 一支部.xlsx › 填表说明：不是评分表、测评票登记表或测评票，已忽略"]
    );
    assert_eq!(tier(&eval, "一支部"), "五星");
}

#[test]
fn hidden_rows_and_columns_are_read_and_noted_in_every_format() {
    for (fixture, rel) in [
        ("openpyxl_hidden_rows.xlsx", "隐藏.xlsx"),
        ("libreoffice_hidden_rows.xls", "隐藏.xls"),
        ("libreoffice_hidden_rows.ods", "隐藏.ods"),
    ] {
        let inbox = Inbox::new();
        inbox.copy_fixture(fixture, rel);
        inbox.copy_fixture("openpyxl_register.xlsx", "登记表.xlsx");
        let eval = with_good_branch(&inbox);
        let notes: Vec<String> = messages(&eval).into_iter().filter(|m| m.contains("隐藏")).collect();
        assert_eq!(
            notes,
            [format!(
                "[提示] {rel} › 考评表 › C4：第 6 行、第 C 列被隐藏，其中的内容已照常读取，请核对是否应当计入"
            )],
            "{fixture}"
        );
        // Row 6 (班子团结, 3.5) still counts: the same total as the visible form.
        let archive = branch(&eval, "市档案局机关第一党支部");
        assert_eq!(
            archive.total.map(|t| (t * 1e6).round() / 1e6),
            Some(92.306723),
            "{fixture}"
        );
    }
}

#[test]
fn hidden_form_sheet_is_read_and_noted() {
    let inbox = Inbox::new();
    let mut sheet = FormSpec::standard("一支部", "甲党委").sheet_spec();
    sheet.hidden = true;
    let mut cover = SheetSpec::new("封面");
    cover.set(0, 0, "2026年度星级评定材料");
    write_xlsx(&inbox.file("一支部.xlsx"), &[cover, sheet]);
    inbox.register("一支部票.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = with_good_branch(&inbox);
    assert_eq!(
        messages(&eval),
        [
            "[提示] 一支部.xlsx › 封面：不是评分表、测评票登记表或测评票，已忽略",
            "[提示] 一支部.xlsx › 评分表：隐藏的工作表，已照常读取",
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "五星");
}

#[test]
fn duplicate_branch_within_one_workbook() {
    let inbox = Inbox::new();
    let first = FormSpec::standard("一支部", "甲党委").sheet_spec();
    let mut second = FormSpec::standard("一支部", "甲党委").scores(&[3.0; 16]).sheet_spec();
    second.name = "评分表（修改）".into();
    write_xlsx(&inbox.file("一支部.xlsx"), &[first, second]);
    inbox.register("一支部票.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = with_good_branch(&inbox);
    assert_eq!(
        problems(&eval),
        [
            "[错误] 一支部.xlsx › 评分表：支部「一支部」的评分表重复提交（另见 同一文件的工作表「评分表（修改）」），该支部列为待核实",
            "[错误] 一支部.xlsx › 评分表（修改）：支部「一支部」的评分表重复提交（另见 同一文件的工作表「评分表」），该支部列为待核实",
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "待核实");
}

#[test]
fn names_with_path_characters_and_a_leading_equals_sign() {
    let names = ["../上级/一支部", r"二\支部:甲", "=HYPERLINK(\"http://x.cn\",\"点此\")"];
    let inbox = Inbox::new();
    for (i, name) in names.iter().enumerate() {
        inbox.form(&format!("{i}.xlsx"), &FormSpec::standard(name, "甲党委"));
        inbox.register(&format!("{i}票.xlsx"), &RegisterSpec::uniform(name, 5, "好", "五星"));
    }
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let out = tempfile::tempdir().unwrap();
    let outcome = inbox.score_into(out.path());
    for name in names {
        assert_eq!(tier(&outcome.evaluation, name), "五星", "{name}");
    }
    assert!(outcome.evaluation.files.iter().all(|f| f.status == FileStatus::Read));
    // Every feedback workbook lies in its parent's folder, under a cleaned name.
    let feedback = out.path().join("反馈");
    let files: Vec<String> = walk(&feedback)
        .iter()
        .map(|p| p.strip_prefix(&feedback).unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        [
            "甲党委/=HYPERLINK(_http___x.cn_,_点此_).xlsx",
            "甲党委/_上级_一支部.xlsx",
            "甲党委/二_支部_甲.xlsx",
            "甲党委/好支部.xlsx",
        ]
    );
    // The names are written as text: no output holds a formula.
    for path in walk(out.path()) {
        if path.extension().is_some_and(|e| e == "xlsx") {
            for part in zip_parts(&path).into_iter().filter(|p| p.ends_with(".xml")) {
                assert!(!xlsx_part(&path, &part).contains("<f>"), "{} {part}", path.display());
            }
        }
    }
}

#[test]
fn invisible_characters_in_a_name_do_not_split_the_branch() {
    let inbox = Inbox::new();
    // A zero-width space pasted after the name on the form, a byte-order
    // mark before it on the register: they look the same and now match.
    inbox.form("一支部评分表.xlsx", &FormSpec::standard("一支部\u{200B}", "甲党委"));
    inbox.register(
        "一支部登记表.xlsx",
        &RegisterSpec::uniform("\u{FEFF}一支部", 5, "好", "五星"),
    );
    let eval = with_good_branch(&inbox);
    assert_eq!(tier(&eval, "一支部"), "五星");
    assert_eq!(problems(&eval), Vec::<String>::new());
    let note = "名称中有看不见的字符（如零宽空格、BOM，常随网页或聊天软件复制而来），已去除后再与其他表格比对";
    let notes: Vec<String> = messages(&eval).into_iter().filter(|m| m.contains(note)).collect();
    assert_eq!(
        notes,
        [
            format!("[提示] 一支部登记表.xlsx › 登记表 › A1：{note}"),
            format!("[提示] 一支部评分表.xlsx › 评分表 › A2：{note}"),
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_linked_folder_is_listed_not_entered() {
    let inbox = Inbox::new();
    let elsewhere = tempfile::tempdir().unwrap();
    FormSpec::standard("外部支部", "乙党委").write(&elsewhere.path().join("外部支部.xlsx"));
    std::os::unix::fs::symlink(elsewhere.path(), inbox.file("外单位")).unwrap();
    let eval = with_good_branch(&inbox);
    assert_eq!(
        problems(&eval),
        [
            "[警告] 外单位：这是指向其他位置的文件夹链接，其中的文件未读取（以免重复或循环读取）；如需评定，请把文件复制到收件箱中"
        ]
    );
    assert!(eval.branches.iter().all(|b| b.identity.name != "外部支部"));
}

#[test]
fn numbers_beyond_any_score_are_named_plainly() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed[0] = Some(V::N(1e308));
    inbox.form_with_ballots(&form);
    // A stored infinity, which no one can type: Excel shows #NUM!.
    inbox.form_with_ballots(&FormSpec::standard("二支部", "甲党委"));
    fill_xlsx(
        &inbox.file("二支部评分表.xlsx"),
        "xl/worksheets/sheet1.xml",
        &[("E6", V::N(f64::INFINITY))],
    );
    let eval = with_good_branch(&inbox);
    assert_eq!(
        problems(&eval),
        [
            "[错误] 一支部评分表.xlsx › 评分表 › E5：考核得分 1e308 超过该项满分 4",
            "[错误] 二支部评分表.xlsx › 评分表 › E6：考核得分是错误值 #NUM!，请检查公式",
        ]
    );
}
