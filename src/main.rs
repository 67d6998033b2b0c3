use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match starsheet::cli::Cli::try_parse() {
        Ok(cli) => ExitCode::from(starsheet::run(cli)),
        Err(e) => {
            // Exit status 2 means "results written, inputs had errors"; a bad
            // command line is "nothing could be done", status 1.
            let _ = e.print();
            ExitCode::from(if e.use_stderr() { 1 } else { 0 })
        }
    }
}
