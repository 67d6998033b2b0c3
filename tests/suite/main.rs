//! Every integration test in one binary: the library is linked once, not
//! once per file, and the tests of all files share the threads.

mod archive;
mod bad_inputs;
mod checks;
mod cli;
mod collection;
mod common;
mod drafts;
mod explain;
mod feedback;
mod fixtures;
mod fuzz_regressions;
mod history;
mod layouts;
mod libreoffice;
mod limits;
mod local_rules;
mod localities;
mod members;
mod properties;
mod realworld;
mod record;
mod rounds;
mod rule_properties;
mod safety;
mod samples;
mod scoring_rules;
mod similar;
mod structure;
mod templates;
mod transaction;
mod variations;
mod voter_categories;
