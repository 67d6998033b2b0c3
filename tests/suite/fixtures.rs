//! Workbooks made by other producers (openpyxl, LibreOffice), built by
//! tests/fixtures/make_fixtures.py.
//!
//! Hand computation for 市档案局机关第一党支部:
//! - form items, assessed: 班子建设 4+3.5+4+3+4 = 18.5; 党员队伍建设 4+4+3.5+4+3.5 = 19;
//!   工作机制建设 6.5+7+5 = 18.5; 工作业绩 6+6.5+6 = 18.5; sum 74.5; bonus 1.
//! - register: 25 rows = 24 ballots + one 空白票; every question 好×12 较好×8 一般×3 差×1,
//!   except the first question of ballot 1, an over-vote (好，较好), which leaves 好×11.
//!   Valid ratings 23 + 4×24 = 119; value sum (11 + 8×0.8 + 3×0.6) + 4×(12 + 6.4 + 1.8) = 100;
//!   群众评价 = 20 × 100/119 = 16.806722…; satisfied (19 + 4×20)/119 = 99/119 = 83.19 %.
//! - total 74.5 + 16.806722 + 1 = 92.306722 → 四星 (≥ 90, < 95).
//! - stars: 五星×10 四星×9 三星×4 二星×1; 19 of 24 reach 四星 > 12 → 议星 四星.
//! - medals: 18.5/20 = 92.5 % 金星 (×3), 19/20 金星, 16.8067/20 = 84 % 银星.

use crate::common::*;
use starsheet::forms::{BallotSheet, Form, FormKind};
use starsheet::read::read_file;
use starsheet::scheme::{Schemes, TierId};
use starsheet::score::tally;
use starsheet::workbook::{Format, Limits};

const BRANCH: &str = "市档案局机关第一党支部";

fn assert_archive_branch(form: &str, register: &str) {
    let inbox = Inbox::new();
    inbox.copy_fixture(form, form).copy_fixture(register, register);
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new(), "{form} + {register}");
    let b = branch(&eval, BRANCH);
    assert_eq!(b.identity.parent.as_deref(), Some("市档案局机关党委"));
    let scores: Vec<f64> = b.indicators.iter().map(|i| (i.score * 1e6).round() / 1e6).collect();
    assert_eq!(scores, [18.5, 19.0, 18.5, 18.5, 16.806723], "{form}");
    let medals: Vec<&str> = b.indicators.iter().map(|i| i.medal.as_deref().unwrap_or("")).collect();
    assert_eq!(medals, ["金星", "金星", "金星", "金星", "银星"]);
    assert_eq!(b.bonus, 1.0);
    assert_eq!(b.total.map(|t| (t * 1e6).round() / 1e6), Some(92.306723));
    assert_eq!(tier(&eval, BRANCH), "四星");
    let stats = b.ballots.as_ref().unwrap();
    assert_eq!(
        (stats.issued, stats.returned, stats.counted, stats.blank, stats.valid),
        (Some(30), Some(26), 25, 1, 24)
    );
    let detail = stats.detail.as_ref().unwrap();
    assert_eq!(detail.questions[0].counts, [11, 8, 3, 1]);
    assert_eq!(detail.questions[0].over_votes, 1);
    assert_eq!(detail.questions[4].counts, [12, 8, 3, 1]);
    assert_eq!(detail.satisfaction, Some(99.0 / 119.0));
    assert_eq!(detail.stars, [10, 9, 4, 1, 0, 0]);
    assert_eq!(detail.yixing, Some(TierId(1)));
    assert!(!b.flags.self_inflated && !b.flags.needs_review && !b.flags.preliminary);
}

#[test]
fn openpyxl_xlsx_with_merged_cells_moved_columns_and_text_numbers() {
    assert_archive_branch("openpyxl_merged_moved_columns.xlsx", "openpyxl_register.xlsx");
}

#[test]
fn libreoffice_xls() {
    assert_archive_branch("libreoffice_form.xls", "libreoffice_register.xls");
}

#[test]
fn libreoffice_ods() {
    assert_archive_branch("libreoffice_form.ods", "libreoffice_register.ods");
}

#[test]
fn formats_are_detected_from_content() {
    let inbox = Inbox::new();
    inbox
        .copy_fixture("libreoffice_form.xls", "form.xlsx")
        .copy_fixture("libreoffice_register.ods", "register.xls");
    let eval = inbox.evaluate();
    let formats: Vec<Option<Format>> = eval.files.iter().map(|f| f.format).collect();
    assert_eq!(formats, [Some(Format::Xls), Some(Format::Ods)]);
    assert_eq!(
        messages(&eval),
        [
            "[提示] form.xlsx：扩展名与内容不符，实际为 xls 格式，已按实际格式读取",
            "[提示] register.xls：扩展名与内容不符，实际为 ods 格式，已按实际格式读取",
        ]
    );
    assert_eq!(tier(&eval, BRANCH), "四星");
}

#[test]
fn one_voter_ballots_from_openpyxl_and_libreoffice() {
    let inbox = Inbox::new();
    inbox
        .copy_fixture("openpyxl_single_ballot.xlsx", "票1.xlsx")
        .copy_fixture("libreoffice_single_ballot.ods", "票2.ods");
    let eval = inbox.evaluate();
    let kinds: Vec<&[FormKind]> = eval.files.iter().map(|f| f.forms.as_slice()).collect();
    assert_eq!(kinds, [[FormKind::Ballot], [FormKind::Ballot]]);
    assert_eq!(eval.branches.len(), 1);
    let stats = eval.branches[0].ballots.as_ref().unwrap();
    assert_eq!(eval.branches[0].identity.name, "市档案局机关第二党支部");
    assert_eq!((stats.counted, stats.valid, stats.blank), (2, 2, 0));
    assert!(stats.withheld(), "two ballots' aggregates would be those ballots");
    // What the two ballots say, tallied from the forms as read.
    let schemes = Schemes::with_branch("standard").unwrap();
    let sheets: Vec<BallotSheet> = [("票1.xlsx", "xlsx"), ("票2.ods", "ods")]
        .iter()
        .flat_map(|(rel, ext)| read_file(&inbox.file(rel), rel, ext, &schemes, &Limits::default()).forms)
        .filter_map(|form| match form {
            Form::Ballots(sheet) => Some(sheet),
            _ => None,
        })
        .collect();
    let stats = tally(&schemes.branch, &sheets).detail.unwrap();
    // Each ballot: 班子建设 好 (√), 党员队伍建设 较好 (○), 工作机制建设 over-voted (● ●),
    // 工作业绩 一般 (1), 群众评价 unmarked; recommended 四星 (V).
    let counts: Vec<&[u32]> = stats.questions.iter().map(|q| q.counts.as_slice()).collect();
    assert_eq!(
        counts,
        [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]
    );
    assert_eq!(stats.questions[2].over_votes, 2);
    assert_eq!(stats.questions[4].abstentions, 2);
    assert_eq!(stats.stars, [0, 2, 0, 0, 0, 0]);
    assert_eq!(
        messages(&eval),
        [
            "[错误] 票1.xlsx › 测评票：支部「市档案局机关第二党支部」有测评票，但没有收到评分表，该支部列为待核实",
            "[警告] 票1.xlsx › 测评票：有效测评票仅 2 张，少于 5 张（测评人数不足）：为保护测评人匿名，各输出只列发出、收回、登记和有效票数，不列分项统计、满意率和议星结果；群众评价仍按这些票计分",
        ]
    );
}

#[test]
fn formula_without_saved_result_is_an_error_at_its_cell() {
    let inbox = Inbox::new();
    inbox
        .copy_fixture("openpyxl_formula_without_result.xlsx", "a.xlsx")
        .copy_fixture("openpyxl_register.xlsx", "b.xlsx");
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] a.xlsx › 考评表 › E5：考核得分是公式 =2+2，但文件中没有保存计算结果；请在 Excel/WPS 中打开、保存后重新提交"
        ]
    );
    assert_eq!(tier(&eval, BRANCH), "待核实");
}

#[test]
fn formula_with_saved_result_uses_the_result() {
    let inbox = Inbox::new();
    inbox
        .copy_fixture("libreoffice_formula_with_result.xlsx", "a.xlsx")
        .copy_fixture("openpyxl_register.xlsx", "b.xlsx");
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    assert_eq!(tier(&eval, BRANCH), "四星");
}

#[test]
fn dates_booleans_errors_negative_and_over_max_scores() {
    let inbox = Inbox::new();
    inbox
        .copy_fixture("openpyxl_cell_types.xlsx", "a.xlsx")
        .copy_fixture("openpyxl_register.xlsx", "b.xlsx");
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] a.xlsx › 考评表 › E6：考核得分填写的是日期（2026-03-05），不是分数",
            "[错误] a.xlsx › 考评表 › E7：考核得分填写的是逻辑值（TRUE/FALSE），不是分数",
            "[错误] a.xlsx › 考评表 › E8：考核得分是错误值 #DIV/0!，请检查公式",
            "[错误] a.xlsx › 考评表 › E9：考核得分 -1 不能为负数",
            "[错误] a.xlsx › 考评表 › E11：考核得分 5 超过该项满分 4",
        ]
    );
    assert_eq!(tier(&eval, BRANCH), "待核实");
}

#[test]
fn two_row_header_reads_the_same_from_openpyxl_and_from_libreoffice_ods() {
    // 得分 merged over 自评分 | 评定得分; the other labels merged down over both
    // rows. .ods reports no merges to calamine: the pre-scan reads them.
    for (fixture, ext) in [
        ("openpyxl_two_row_header.xlsx", "xlsx"),
        ("libreoffice_two_row_header.ods", "ods"),
    ] {
        let inbox = Inbox::new();
        inbox
            .copy_fixture(fixture, &format!("评分表.{ext}"))
            .copy_fixture("openpyxl_register.xlsx", "登记表.xlsx");
        let eval = inbox.evaluate();
        assert_eq!(problems(&eval), Vec::<String>::new(), "{fixture}");
        assert_eq!(eval.files[1].forms, [FormKind::Scoring], "{fixture}");
        let total = branch(&eval, BRANCH).total.map(|t| (t * 1e6).round() / 1e6);
        assert_eq!(total, Some(92.306723), "{fixture}");
        assert_eq!(tier(&eval, BRANCH), "四星", "{fixture}");
    }
}

#[test]
fn a_date_in_a_1904_workbook_is_named_as_typed() {
    let inbox = Inbox::new();
    inbox.copy_fixture("openpyxl_date_1904.xlsx", "评分表.xlsx");
    let eval = inbox.evaluate();
    assert!(
        problems(&eval)
            .contains(&"[错误] 评分表.xlsx › 评分表 › E5：考核得分填写的是日期（2026-03-05），不是分数".to_string()),
        "{:?}",
        problems(&eval)
    );
}

#[test]
fn packages_laid_out_unusually_are_read() {
    // The workbook part at the package root with cells lacking r attributes
    // (as calamine's minimal_package.xlsx), and Windows `\` part names (as
    // its issue_530.xlsx): both open in Excel and in calamine.
    let inbox = Inbox::new();
    inbox
        .copy_fixture("openpyxl_two_row_header.xlsx", "评分表.xlsx")
        .copy_fixture("minimal_package_layout.xlsx", "最简登记表.xlsx");
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    let stats = branch(&eval, BRANCH).ballots.as_ref().unwrap();
    assert_eq!((stats.issued, stats.returned, stats.valid), (Some(5), Some(5), 5));
    // 好×4 较好×1 on each ballot: 20 × 4.8 / 5.
    assert!((branch(&eval, BRANCH).indicators[4].score - 19.2).abs() < 1e-9);

    let inbox = Inbox::new();
    inbox
        .copy_fixture("openpyxl_two_row_header.xlsx", "评分表.xlsx")
        .copy_fixture("backslash_part_names.xlsx", "反斜杠登记表.xlsx");
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    assert_eq!(branch(&eval, BRANCH).ballots.as_ref().unwrap().counted, 25);
    assert_eq!(tier(&eval, BRANCH), "四星");
}

#[test]
fn a_password_protected_ods_is_called_encrypted() {
    let inbox = Inbox::new();
    inbox.copy_fixture("libreoffice_encrypted_password_123456.ods", "评分表.ods");
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[错误] 评分表.ods：文件已加密：请取消打开密码后重新提交"]
    );
}
