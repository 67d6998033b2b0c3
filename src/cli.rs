//! Command-line arguments (clap) and their turning into a [`Plan`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::archive::Archive;
use crate::error::Error;
use crate::issue::Severity;
use crate::plan::{Plan, Progress};
use crate::report::JSON_FILE;
use crate::report::terminal;
use crate::results::Stored;
use crate::round::{Date, Period, Round};
use crate::scheme::{self, DEFAULT_PRESET, GROUP_PRESET, MEMBER_PRESET, Scheme, Schemes};
use crate::workbook::LimitsFile;

const HELP: &str = "{about}\n\n用法：{usage}\n\n{all-args}";

/// 党支部星级评定批量处理：把收集来的评分表、测评票放进一个文件夹，一条命令出结果。
#[derive(Debug, Parser)]
#[command(
    name = "starsheet",
    version,
    help_template = HELP,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// 要执行的命令
    #[command(subcommand)]
    pub command: Command,
    /// 显示帮助
    #[arg(short, long, action = ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 评定：读取收件箱中的全部表格，核查、计分、排名并写出结果
    #[command(help_template = HELP, next_help_heading = "选项", override_usage = "starsheet score <收件箱> [选项]")]
    Score(ScoreArgs),
    /// 核查：只检查收件箱中的表格，列出问题，不写文件
    #[command(help_template = HELP, next_help_heading = "选项", override_usage = "starsheet check <收件箱> [选项]\n       starsheet check --explain <表格> [-o 文件] [选项]")]
    Check(CheckArgs),
    /// 评星方案：列出或显示内置方案
    #[command(subcommand, help_template = HELP, subcommand_value_name = "命令", subcommand_help_heading = "命令")]
    Scheme(SchemeCommand),
    /// 档案：列出评定档案中的各轮，查某个支部或党员的历次星级，或导出某一轮的 results.json
    #[command(help_template = HELP, next_help_heading = "选项", override_usage = "starsheet history --archive <档案> [名称] [选项]")]
    History(HistoryArgs),
    /// 模板：生成供填写的空白表格（评分表、测评票登记表、测评票、党员星级评定表、党小组考评表、支部名册）
    #[command(help_template = HELP, next_help_heading = "选项", override_usage = "starsheet template -o <目录> [选项]")]
    Template(TemplateArgs),
    /// 样例：生成一个模拟收件箱（含各种版式和少量有问题的文件）
    #[command(help_template = HELP, next_help_heading = "选项", override_usage = "starsheet sample -o <目录> [选项]")]
    Sample(SampleArgs),
}

/// Options shared by `score` and `check`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// 收件箱：存放各支部表格的文件夹（含子文件夹）
    #[arg(value_name = "收件箱", help_heading = "参数")]
    pub inbox: PathBuf,
    /// The schemes.
    #[command(flatten)]
    pub schemes: SchemeArgs,
    /// 支部名册（.xlsx 等）：核对哪些支部未提交哪些表；名册放在收件箱里时不必指定
    #[arg(long, value_name = "文件")]
    pub register: Option<PathBuf>,
    /// 读取上限文件（.toml），调整防止异常文件耗尽内存的上限，一般无需指定
    #[arg(long, value_name = "文件")]
    pub limits: Option<PathBuf>,
    /// 并行线程数（默认使用全部处理器核心）
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// 不显示进度条
    #[arg(short, long)]
    pub quiet: bool,
}

/// The schemes of a run.
#[derive(Debug, Args)]
pub struct SchemeArgs {
    /// 评星方案：内置方案名（standard、jiguan）或 .toml 文件路径，默认 standard
    #[arg(long, value_name = "方案", default_value = DEFAULT_PRESET, hide_default_value = true)]
    pub scheme: String,
    /// 党员星级评定方案，默认 member
    #[arg(long, value_name = "方案", default_value = MEMBER_PRESET, hide_default_value = true)]
    pub member_scheme: String,
    /// 党小组考评方案，默认 group
    #[arg(long, value_name = "方案", default_value = GROUP_PRESET, hide_default_value = true)]
    pub group_scheme: String,
}

impl SchemeArgs {
    fn load(&self) -> Result<Schemes, Error> {
        Ok(Schemes::load(&self.scheme, &self.member_scheme, &self.group_scheme)?)
    }
}

/// `starsheet score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Inbox and reading options.
    #[command(flatten)]
    pub input: InputArgs,
    /// 输出目录，默认为当前目录下的“评定结果”；每次评定整体替换其中的内容
    #[arg(
        short,
        long,
        value_name = "目录",
        default_value = "评定结果",
        hide_default_value = true
    )]
    pub out: PathBuf,
    /// 另写出机器可读的 JSON 结果；不给文件名时写到输出目录下的 results.json
    #[arg(long, value_name = "文件")]
    pub json: Option<Option<PathBuf>>,
    /// 评定轮次，印在各输出上：2026年度、2026年上半年（2026H1）、2026年第三季度（2026Q3）
    #[arg(long, value_name = "轮次", value_parser = Period::parse)]
    pub round: Option<Period>,
    /// 评定日期（如 2026-12-01），与 --round 一起给出；亮星公示的公示期从这天算起
    #[arg(long, value_name = "日期", value_parser = Date::parse, requires = "round")]
    pub date: Option<Date>,
    /// 亮星公示的发布单位（代替方案 [notice] 中的 issuer）
    #[arg(long, value_name = "单位")]
    pub issuer: Option<String>,
    /// 亮星公示的公示天数（代替方案 [notice] 中的 days）
    #[arg(long, value_name = "天数", value_parser = clap::value_parser!(u32).range(1..))]
    pub notice_days: Option<u32>,
    /// 评定档案（SQLite 文件，不存在时新建）：把本轮结果存入，供以后各轮对比
    #[arg(long, value_name = "档案", requires = "round")]
    pub archive: Option<PathBuf>,
}

/// `starsheet history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// 评定档案
    #[arg(long, value_name = "档案")]
    pub archive: PathBuf,
    /// 支部、党小组或党员的名称：列出其历次星级
    #[arg(value_name = "名称", help_heading = "参数")]
    pub name: Option<String>,
    /// 导出这一轮的 results.json（如 2026年度、2026Q3）
    #[arg(long, value_name = "轮次", value_parser = Period::parse, requires = "out")]
    pub export: Option<Period>,
    /// 导出的版本，默认现行版本
    #[arg(long, value_name = "N", requires = "export")]
    pub version: Option<u32>,
    /// 导出到的文件（不覆盖已有文件）
    #[arg(short, long, value_name = "文件", requires = "export")]
    pub out: Option<PathBuf>,
}

impl ScoreArgs {
    /// The run's plan: the inbox's, with the round and the notice settings.
    fn plan(&self) -> Result<Plan, Error> {
        let mut plan = self.input.plan()?;
        plan.out_dir = Some(self.out.clone());
        plan.json = self.json.clone().map(|p| p.unwrap_or_else(|| self.out.join(JSON_FILE)));
        plan.round = self.round.map(|period| Round {
            period,
            date: self.date,
        });
        plan.archive = self.archive.clone();
        let notice = &mut plan.schemes.branch.notice;
        if let Some(issuer) = &self.issuer {
            notice.issuer = Some(issuer.clone());
        }
        if let Some(days) = self.notice_days {
            notice.days = Some(days);
        }
        Ok(plan)
    }
}

/// `starsheet check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inbox and reading options.
    #[command(flatten)]
    pub input: InputArgs,
    /// 说明一张表格是怎样读取的：把 <收件箱> 换成一个表格文件，写出一份副本，读取时用到的单元格按读作的用途着色，首页列出各格对应方案中的哪一项和发现的问题
    #[arg(long)]
    pub explain: bool,
    /// 与 --explain 一起用：副本的文件名，默认为当前目录下的“<表名>（读取说明）.xlsx”
    #[arg(short, long, value_name = "文件", requires = "explain")]
    pub out: Option<PathBuf>,
}

/// `starsheet scheme …`.
#[derive(Debug, Subcommand)]
pub enum SchemeCommand {
    /// 列出内置评星方案
    #[command(help_template = HELP)]
    List,
    /// 显示评星方案的 TOML 内容（可复制后修改）
    #[command(help_template = HELP)]
    Show {
        /// 方案名或 .toml 文件路径
        #[arg(value_name = "方案", help_heading = "参数")]
        name: String,
    },
    /// 按本地已在用的评分表起草评星方案（输出到屏幕，可重定向到 .toml 文件）
    #[command(help_template = HELP)]
    Draft {
        /// 本地评分表（空白或已填写均可）
        #[arg(value_name = "评分表", help_heading = "参数")]
        form: PathBuf,
    },
}

/// `starsheet template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 输出目录
    #[arg(short, long, value_name = "目录")]
    pub out: PathBuf,
    /// The schemes.
    #[command(flatten)]
    pub schemes: SchemeArgs,
}

/// `starsheet sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// 支部数量，默认 12
    #[arg(long, value_name = "N", default_value_t = 12, hide_default_value = true)]
    pub branches: usize,
    /// 输出目录（模拟的收件箱）
    #[arg(short, long, value_name = "目录")]
    pub out: PathBuf,
    /// 随机种子：相同种子生成完全相同的文件，默认 2026
    #[arg(long, value_name = "S", default_value_t = 2026, hide_default_value = true)]
    pub seed: u64,
    /// 评星方案，默认 standard
    #[arg(long, value_name = "方案", default_value = DEFAULT_PRESET, hide_default_value = true)]
    pub scheme: String,
    /// 同时写出这些支部的支部名册（写在收件箱之外，评定时用 --register 指定）
    #[arg(long, value_name = "文件")]
    pub register: Option<PathBuf>,
    /// 生成某一轮的模拟数据：支部不变，各支部的得分随轮次起落（用来试评定档案和增星摘星）
    #[arg(long, value_name = "轮次", value_parser = Period::parse)]
    pub round: Option<Period>,
}

/// Parses the process's command line; `starsheet help [命令]` is read as
/// `starsheet [命令] --help`, as people type it.
pub fn parse() -> Result<Cli, clap::Error> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    Cli::try_parse_from(args)
}

/// A command-line mistake in Chinese, naming the argument clap complained about.
pub fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let context = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("缺少参数 {}", context(ContextKind::InvalidArg)),
        ErrorKind::UnknownArgument => format!("无法识别的参数 {}", context(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => format!("没有这个命令：{}", context(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "请给出命令：score、check、scheme、template 或 sample".to_string()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            // A value our own parser refused carries its reason in Chinese.
            let why = std::error::Error::source(e)
                .map(|reason| format!("：{reason}"))
                .unwrap_or_default();
            format!(
                "参数 {} 的值「{}」无效{why}",
                context(ContextKind::InvalidArg),
                context(ContextKind::InvalidValue)
            )
        }
        _ => e.to_string().trim().to_string(),
    };
    format!(
        "错误：{what}
用 starsheet --help 查看用法。
"
    )
}

impl InputArgs {
    fn plan(&self) -> Result<Plan, Error> {
        let mut plan = Plan::new(&self.inbox, self.schemes.load()?);
        plan.jobs = self.jobs.map(usize::from);
        plan.register = self.register.clone();
        if let Some(path) = &self.limits {
            plan.limits = LimitsFile::load(path)?;
        }
        Ok(plan)
    }
}

/// `check --explain`: writes the coloured copy of one form and prints what
/// each sheet was read as and the problems found.
fn explain(args: &CheckArgs) -> Result<u8, Error> {
    let form = &args.input.inbox;
    if form.is_dir() {
        return Err(Error::Explain {
            path: form.display().to_string(),
            message: "--explain 说明的是一个表格文件，这里是文件夹；核查整个收件箱请去掉 --explain".to_string(),
        });
    }
    let plan = args.input.plan()?;
    let explained = crate::explain::explain(form, &plan.schemes, &plan.limits).map_err(|problem| Error::Explain {
        path: form.display().to_string(),
        message: problem.to_string(),
    })?;
    let target = args.out.clone().unwrap_or_else(|| {
        let stem = form
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        PathBuf::from(format!("{stem}（读取说明）.xlsx"))
    });
    // The form itself is never written over.
    let same = |a: &std::path::Path, b: &std::path::Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&target, form) {
        return Err(Error::Explain {
            path: form.display().to_string(),
            message: "副本的文件名与原表相同；请用 -o 指定另一个文件名".to_string(),
        });
    }
    crate::output::write_atomic(&target, &explained.bytes).map_err(|e| Error::Write {
        path: target.display().to_string(),
        source: e,
    })?;
    for (sheet, read_as) in &explained.sheets {
        out(format!("工作表「{sheet}」：{read_as}\n"));
    }
    out(terminal::issue_list(&explained.issues, Severity::Note, None));
    out(format!("读取说明：{}\n", target.display()));
    let errors = explained.issues.iter().any(|i| i.severity == Severity::Error);
    Ok(if errors { 2 } else { 0 })
}

/// Runs a command; `Ok` carries the exit status.
pub fn execute(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Score(args) => {
            let plan = args.plan()?;
            let outcome = crate::pipeline::score_reporting(&plan, &Bar::new(args.input.quiet))?;
            let eval = &outcome.evaluation;
            err(terminal::issue_list(&eval.issues, Severity::Warning, Some(30)));
            let feedback: Vec<PathBuf> = outcome.feedback.iter().map(|(_, p)| p.clone()).collect();
            out(terminal::summary(eval, &outcome.written, &feedback));
            if outcome.written.is_empty() {
                out(format!("未写出结果，输出目录 {} 保持原样\n", args.out.display()));
            }
            if let (Some(stored), Some(path), Some(round)) = (outcome.archived, &args.archive, plan.round) {
                let what = match stored {
                    Stored::New => format!("已存入{}", round.period),
                    Stored::Replaced { version } => {
                        format!(
                            "已存入{}第 {version} 版（此前的版本仍保留，可用 history --export 导出）",
                            round.period
                        )
                    }
                    Stored::Unchanged => format!("{}的结果与档案中现行版本相同，未新增版本", round.period),
                };
                out(format!("评定档案 {}：{what}\n", path.display()));
            }
            Ok(eval.exit_status())
        }
        Command::History(args) => {
            let archive = Archive::open(&args.archive)?;
            if let Some(period) = args.export {
                let json = archive.export(period, args.version)?;
                let path = args.out.unwrap_or_default();
                crate::archive::write_export(&path, &json).map_err(|e| Error::output(&path, e))?;
                out(format!("已导出{period}的 results.json：{}\n", path.display()));
                return Ok(0);
            }
            out(match &args.name {
                Some(name) => terminal::history(name, &archive.history(name)?),
                None => terminal::rounds(&archive.rounds()?),
            });
            Ok(0)
        }
        Command::Check(args) if args.explain => explain(&args),
        Command::Check(args) => {
            let eval = crate::pipeline::evaluate_reporting(&args.input.plan()?, &Bar::new(args.input.quiet))?;
            out(terminal::issue_list(&eval.issues, Severity::Note, None));
            out(terminal::summary(&eval, &[], &[]));
            Ok(eval.exit_status())
        }
        Command::Scheme(SchemeCommand::List) => {
            for name in scheme::preset_names() {
                let s = Scheme::load(name)?;
                out(format!("{name}\t{}\n", s.title));
            }
            Ok(0)
        }
        Command::Scheme(SchemeCommand::Show { name }) => {
            out(&Scheme::load(&name)?.source);
            Ok(0)
        }
        Command::Scheme(SchemeCommand::Draft { form }) => {
            let schemes = Schemes::with_branch(DEFAULT_PRESET)?;
            let text = crate::draft::draft(&form, &schemes).map_err(|problem| Error::Draft {
                path: form.display().to_string(),
                message: problem.to_string(),
            })?;
            out(&text);
            Ok(0)
        }
        Command::Template(args) => {
            let written = crate::template::write_all(&args.schemes.load()?, &args.out).map_err(|e| Error::Write {
                path: args.out.display().to_string(),
                source: e,
            })?;
            for path in written {
                out(format!("{}\n", path.display()));
            }
            Ok(0)
        }
        Command::Sample(args) => {
            let schemes = Schemes::with_branch(&args.scheme)?;
            // A sample inbox mixed into real forms would be rated with them.
            if std::fs::read_dir(&args.out).is_ok_and(|mut entries| entries.next().is_some()) {
                return Err(Error::FolderNotEmpty(args.out.display().to_string()));
            }
            let written = match (&args.register, args.round) {
                (Some(roll), round) => {
                    crate::sample::generate_with_roll(&schemes, (args.branches, round), args.seed, &args.out, roll)
                }
                (None, Some(round)) => {
                    crate::sample::generate_round(&schemes, args.branches, args.seed, &args.out, round)
                }
                (None, None) => crate::sample::generate(&schemes, args.branches, args.seed, &args.out),
            }
            .map_err(|e| Error::Write {
                path: args.out.display().to_string(),
                source: e,
            })?;
            out(format!(
                "已生成 {} 个支部的模拟收件箱：{}（{} 个文件）\n",
                args.branches,
                args.out.display(),
                written
            ));
            Ok(0)
        }
    }
}

/// Writes to standard output; a reader that stops early (`| head`) is no
/// reason to fail.
fn out(text: impl AsRef<str>) {
    let _ = std::io::stdout().write_all(text.as_ref().as_bytes());
}

/// Writes to standard error, likewise.
fn err(text: impl AsRef<str>) {
    let _ = std::io::stderr().write_all(text.as_ref().as_bytes());
}

/// A progress bar on stderr, shown once a run has taken a second, and only
/// when stderr is a terminal.
struct Bar {
    bar: indicatif::ProgressBar,
    started: Instant,
    quiet: bool,
    shown: AtomicBool,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        let bar = indicatif::ProgressBar::hidden();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}（约剩 {eta}）") {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            started: Instant::now(),
            quiet,
            shown: AtomicBool::new(false),
        }
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, total: usize) {
        self.bar.set_message(name.to_string());
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
    }

    fn step(&self) {
        self.bar.inc(1);
        if !self.quiet && self.started.elapsed() >= Duration::from_secs(1) && !self.shown.swap(true, Ordering::Relaxed)
        {
            // Hidden by indicatif itself when stderr is not a terminal.
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Runs a parsed command line; returns the process exit status.
pub fn run(cli: Cli) -> u8 {
    crate::output::install_interrupt_handler();
    match execute(cli) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("错误：{e}");
            1
        }
    }
}
