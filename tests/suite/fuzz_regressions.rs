//! Inputs the fuzzer (fuzz/) found, kept in tests/fixtures/fuzz/: each is
//! refused with a clear message in bounded memory, and the batch goes on.

use crate::common::*;

fn problems_of(fixture: &str) -> Vec<String> {
    let inbox = Inbox::new();
    inbox.copy_fixture(&format!("fuzz/{fixture}"), "坏.xls");
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(tier(&eval, "好支部"), "五星", "the batch goes on");
    problems(&eval)
}

#[test]
fn container_with_a_cyclic_sector_chain() {
    // calamine's container reader followed the cycle until memory ran out.
    assert_eq!(
        problems_of("cfb_cyclic_chain.bin"),
        [
            "[错误] 坏.xls：文件已损坏，无法打开（复合文档结构错误：Malformed FAT (FAT has 27 entries, but file has only 11 sectors)）"
        ]
    );
}

#[test]
fn defined_name_record_cut_short() {
    // calamine indexed past the end of the record (a panic).
    assert_eq!(
        problems_of("xls_short_name_record.bin"),
        ["[错误] 坏.xls：文件已损坏，无法打开（工作簿中的名称定义记录不完整）"]
    );
}

#[test]
fn multiple_number_record_with_reversed_columns() {
    // calamine subtracted the columns unchecked (a panic with overflow checks).
    assert_eq!(
        problems_of("xls_mulrk_reversed_columns.bin"),
        ["[错误] 坏.xls：文件已损坏，无法打开（工作表「考评表」中的单元格记录不完整）"]
    );
}

#[test]
fn panics_inside_calamine_are_caught_per_file() {
    // Inputs reaching four more panic sites in calamine 0.38 (short reads in
    // utils.rs and xls.rs): each file is reported as damaged and the rest of
    // the batch is rated.
    for fixture in [
        "calamine_panic_utils_38.bin",
        "calamine_panic_utils_43.bin",
        "calamine_panic_utils_48.bin",
        "calamine_panic_xls_772.bin",
    ] {
        let problems = problems_of(fixture);
        assert_eq!(problems.len(), 1, "{fixture}: {problems:?}");
        let p = &problems[0];
        assert!(p.starts_with("[错误] 坏.xls："), "{fixture}: {p}");
        // The detail in parentheses is the panic's own (English) message.
        assert!(
            p.ends_with("），文件可能已损坏；若文件在 Excel/WPS 中能正常打开，请将其反馈给维护人员"),
            "{fixture}: {p}"
        );
    }
}

#[test]
fn damaged_part_behind_an_oddly_cased_workbook_name() {
    // This input reached an overflowing multiplication in calamine's
    // xlsx/mod.rs. Its workbook part is named `xl/workboOk.xml`; the
    // pre-scan now finds parts case aside, as calamine does, and meets the
    // damaged sheet part first.
    assert_eq!(
        problems_of("calamine_panic_xlsx_mod_3097.bin"),
        ["[错误] 坏.xls：文件已损坏，无法打开（数据校验失败，文件内容已损坏）"]
    );
}

#[test]
fn sheet_offset_past_the_end_of_the_stream() {
    // calamine sliced the stream at the offset unchecked (a panic).
    assert_eq!(
        problems_of("xls_sheet_offset_past_end.bin"),
        ["[错误] 坏.xls：文件已损坏，无法打开（工作表的位置超出了文件范围）"]
    );
}
