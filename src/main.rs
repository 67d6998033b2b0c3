use std::process::ExitCode;

// Reading thousands of workbooks interleaves short-lived buffers with
// long-lived results; mimalloc keeps the resident size near the live size.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match starsheet::cli::parse() {
        Ok(cli) => ExitCode::from(starsheet::run(cli)),
        Err(e) => {
            // Exit status 2 means "results written, inputs had errors"; a bad
            // command line is "nothing could be done", status 1.
            if e.use_stderr() {
                eprint!("{}", starsheet::cli::usage_error(&e));
                ExitCode::from(1)
            } else {
                let _ = e.print();
                ExitCode::from(0)
            }
        }
    }
}
