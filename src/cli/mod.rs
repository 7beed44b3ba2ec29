//! The command line: `kls lint`, `kls rules`, `kls rule <id>`, `kls lsp`.

mod lint;
pub mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use lint::{FileReport, Limits, LintOutcome, lint_paths, lint_paths_within};

/// A language server and CI linter for Kubernetes manifests.
#[derive(Debug, Parser)]
#[command(name = "kls", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests: files, directories (recursively, honouring .gitignore) or `-` for stdin.
    Lint(LintArgs),
    /// List every rule with its id, default severity and summary.
    Rules,
    /// Print a rule's documentation.
    Rule {
        /// The rule's id, e.g. `deployment-selector-mismatch`.
        id: String,
    },
    /// Serve the Language Server Protocol on stdin/stdout.
    Lsp,
}

/// Options of `kls lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files, directories, or `-` for stdin. Default: the current directory.
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Kubernetes version to validate against (e.g. 1.33). Default: the newest bundled.
    #[arg(long, value_name = "VERSION")]
    pub kubernetes_version: Option<String>,
    /// Path of a config file to use instead of `.kls.yaml` in the current directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Name to show for stdin in the output.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,
    /// Refuse files larger than this (bytes, or e.g. `64MiB`, `512KiB`). Default: 64MiB.
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Exit 0 even when errors are found.
    #[arg(long)]
    pub exit_zero: bool,
}

/// Output formats of `kls lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Code frames for people, coloured on a terminal.
    Human,
    /// A JSON array of diagnostics with LSP-style ranges (0-based lines, UTF-16 columns).
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0, for code scanning dashboards.
    Sarif,
}

/// Runs a parsed command line and returns the process exit code.
#[must_use]
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Rules => {
            render::print_rules();
            ExitCode::SUCCESS
        }
        Command::Rule { id } => {
            if render::print_rule(&id) {
                ExitCode::SUCCESS
            } else {
                render::print_error(&format!("there is no rule `{id}`; `kls rules` lists them"));
                ExitCode::from(2)
            }
        }
        // The protocol asks for 1 when the client exits without `shutdown`; a client that
        // goes away without `exit` ends the session just as abnormally.
        Command::Lsp => match crate::lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!("{error:#}");
                ExitCode::FAILURE
            }
        },
    }
}
