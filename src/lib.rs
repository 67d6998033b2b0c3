//! starsheet: party-branch star ratings (党支部星级评定) from a folder of forms.
//!
//! The stages, in the order [`pipeline`] runs them: [`discover`] the inbox →
//! [`read`] every workbook in parallel ([`workbook`] → [`grid`] → [`forms`]) →
//! [`assemble`] branches across files ([`similar`] looks for copied forms) →
//! [`score`] and rank → [`report`] each output, written as one transaction by
//! [`output`]. What they produce is [`results`]; [`plan`] is what they are
//! given.

#![warn(missing_docs)]

pub mod archive;
pub mod assemble;
pub mod cli;
pub mod collection;
pub mod compare;
pub mod directory;
pub mod discover;
pub mod draft;
pub mod error;
pub mod explain;
pub mod forms;
pub mod grid;
pub mod issue;
pub mod layout;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod points;
pub mod read;
pub mod record;
pub mod report;
pub mod results;
pub mod round;
pub mod sample;
pub mod scheme;
pub mod score;
pub mod similar;
pub mod template;
pub mod workbook;
pub mod xlsx;

pub use cli::run;
pub use error::Error;
pub use pipeline::{evaluate, evaluate_reporting, score, score_reporting};
pub use plan::{DEFAULT_OUT_DIR, Plan, Progress};
pub use report::{JSON_FILE, PUBLIC_FILE, SUMMARY_FILE};
pub use results::{Evaluation, Outcome};
