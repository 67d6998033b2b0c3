//! Why the tool itself could not proceed (as opposed to problems in the data,
//! which are [`crate::issue::Issue`] values).

use std::io;
use std::path::Path;

pub use crate::issue::describe_io;
use crate::scheme::SchemeError;
use crate::workbook::LimitsError;

/// Why the tool itself could not proceed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scheme is unusable.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The limits file is unusable.
    #[error(transparent)]
    Limits(#[from] LimitsError),
    /// The inbox cannot be read.
    #[error("无法读取收件箱 {path}：{}", describe_io(source))]
    Inbox {
        /// The inbox as given.
        path: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The branch register given with `--register` holds no register.
    #[error(
        "--register 指定的 {path} 中没有读到支部名册：{why}；名册的表头一行应有「支部名称」「所属党组织」两列，\
         可选「支部编码」「曾用名」「支部类型」「党员数」，每个支部一行（starsheet template 生成的 支部名册.xlsx 即是）"
    )]
    NoRoll {
        /// The file as given.
        path: String,
        /// What was found instead.
        why: String,
    },
    /// The archive cannot be used.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
    /// A round to archive must say which round it is.
    #[error("存入评定档案需要给出评定轮次（--round，如 2026年度）")]
    ArchiveNeedsRound,
    /// The output folder is the inbox itself, or holds it.
    #[error("输出目录 {0} 就是收件箱或包含收件箱；每次评定会整体替换输出目录，请另选一个目录")]
    OutputHoldsInbox(String),
    /// The output folder holds files starsheet did not write.
    #[error(
        "输出目录 {path} 中有不是 starsheet 写出的文件（如「{example}」）；每次评定会整体替换输出目录，\
         为免误删，请先把这些文件移走，或用 -o 指定一个新的或空的目录"
    )]
    NotOurFolder {
        /// The output folder as given.
        path: String,
        /// One entry that is not an output.
        example: String,
    },
    /// A folder to generate into already holds files.
    #[error("目录 {0} 不是空的；为免覆盖其中的文件，请指定一个新的或空的目录")]
    FolderNotEmpty(String),
    /// The output path exists and is no folder.
    #[error("输出目录 {0} 已存在，但不是文件夹")]
    OutputNotFolder(String),
    /// Another run is writing into the same output folder.
    #[error("输出目录 {path} 正在被另一次评定使用（{started}）；请等它结束后再运行，或用 -o 另选一个输出目录")]
    Busy {
        /// The output folder as given.
        path: String,
        /// When and by which process the other run started, as it recorded it.
        started: String,
    },
    /// An output cannot be written.
    #[error("无法写入 {path}：{}；上一次评定的结果保持不变", describe_io(source))]
    Output {
        /// The file or folder, as the user knows it.
        path: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A file (template, sample) cannot be written outside a run.
    #[error("无法写入 {path}：{}", describe_io(source))]
    Write {
        /// The file or folder.
        path: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// An output workbook could not be built (a defect, not an input problem).
    #[error("无法生成 {path}：{source}；上一次评定的结果保持不变")]
    Build {
        /// The output, as the user knows it.
        path: String,
        /// What the workbook writer said.
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// No scheme could be drafted from a form.
    #[error("无法从 {path} 起草评星方案：{message}")]
    Draft {
        /// The form as given.
        path: String,
        /// Why.
        message: String,
    },
    /// A form could not be explained (`check --explain`).
    #[error("无法说明 {path} 的读取：{message}")]
    Explain {
        /// The form as given.
        path: String,
        /// Why.
        message: String,
    },
    /// The run was interrupted (Ctrl+C, or the process was asked to stop).
    #[error("评定已中断，本次结果未写出；输出目录保持上一次评定的完整结果")]
    Interrupted,
    /// The worker threads cannot be started.
    #[error("无法启动 {jobs} 个工作线程：{message}")]
    Threads {
        /// Threads asked for.
        jobs: usize,
        /// What the system said.
        message: String,
    },
}

impl Error {
    /// An output error at `path`.
    pub fn output(path: &Path, source: io::Error) -> Error {
        if source.kind() == io::ErrorKind::Interrupted && source.to_string() == INTERRUPTED {
            return Error::Interrupted;
        }
        Error::Output {
            path: path.display().to_string(),
            source,
        }
    }
}

/// What a caught panic said.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// The message of the error staged writes return once the run is interrupted.
pub(crate) const INTERRUPTED: &str = "starsheet: interrupted";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_system_errors_read_in_chinese_with_the_path() {
        let full = io::Error::from_raw_os_error(28);
        let e = Error::output(Path::new("评定结果/汇总排名.xlsx"), full);
        let text = e.to_string();
        assert!(
            text.starts_with("无法写入 评定结果/汇总排名.xlsx：磁盘空间不足（"),
            "{text}"
        );
        assert!(text.ends_with("；上一次评定的结果保持不变"), "{text}");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(describe_io(&denied).starts_with("没有权限"));
    }
}
