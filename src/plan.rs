//! What a run needs, decided once from the arguments, and how it reports
//! its progress.

use std::path::PathBuf;

use crate::round::Round;
use crate::scheme::Schemes;
use crate::workbook::Limits;

/// Output folder when none is given.
pub const DEFAULT_OUT_DIR: &str = "评定结果";

/// Everything a run needs, decided once from the arguments.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Folder of collected forms.
    pub inbox: PathBuf,
    /// Folder for outputs; never read as input.
    pub out_dir: Option<PathBuf>,
    /// Where to write results.json, if wanted.
    pub json: Option<PathBuf>,
    /// The schemes in force.
    pub schemes: Schemes,
    /// Worker threads; all cores when absent.
    pub jobs: Option<usize>,
    /// The round rated, printed on every output when given.
    pub round: Option<Round>,
    /// The branch register (支部名册) to check the round against, when it
    /// is not in the inbox.
    pub register: Option<PathBuf>,
    /// The archive of rounds (评定档案) the round is stored in.
    pub archive: Option<PathBuf>,
    /// Limits on hostile input.
    pub limits: Limits,
    /// Makes the n-th output write fail, for tests of failed runs.
    #[doc(hidden)]
    pub fail_write_at: Option<u64>,
    /// Makes building this branch's feedback workbook fail, for tests that
    /// one branch's failure stops nothing else.
    #[doc(hidden)]
    pub fail_feedback_of: Option<String>,
}

impl Plan {
    /// A plan reading `inbox` with `schemes`, writing nothing.
    pub fn new(inbox: impl Into<PathBuf>, schemes: Schemes) -> Plan {
        Plan {
            inbox: inbox.into(),
            out_dir: None,
            json: None,
            limits: Limits::default(),
            schemes,
            jobs: None,
            round: None,
            register: None,
            archive: None,
            fail_write_at: None,
            fail_feedback_of: None,
        }
    }
}

/// Receives the progress of a run, from worker threads.
pub trait Progress: Sync {
    /// A phase of `total` steps begins; `name` is shown to the user.
    fn phase(&self, _name: &str, _total: usize) {}
    /// One step of the current phase is done.
    fn step(&self) {}
}

/// Reports nothing.
impl Progress for () {}
