//! Inputs the fuzzer (fuzz/) found, kept in tests/fixtures/fuzz/: each is
//! refused with a clear message in bounded memory, and the batch goes on.

mod common;

use common::*;

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
