//! The command line: `kls lint`, `kls rules`, `kls rule <id>`, `kls lsp`.

mod lint;
pub mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use lint::{FileReport, LintOutcome, lint_paths};

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
    // Documents are checked and requests answered on rayon's threads: give them the stack a
    // deeply nested document needs (see `WORKER_STACK_SIZE`).
    if let Err(error) = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::core::limits::WORKER_STACK_SIZE)
        .build_global()
    {
        tracing::debug!(%error, "the thread pool was already set up");
    }
    match cli.command {
        // Rayon runs a lone file on the calling thread: lint on one with the same stack.
        Command::Lint(args) => std::thread::Builder::new()
            .name("kls-lint".to_owned())
            .stack_size(crate::core::limits::WORKER_STACK_SIZE)
            .spawn(move || lint::run(&args))
            .map_or_else(
                |error| {
                    render::print_error(&format!("cannot start a thread: {error}"));
                    ExitCode::from(2)
                },
                |thread| thread.join().unwrap_or_else(|_| ExitCode::from(2)),
            ),
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
        Command::Lsp => match crate::lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!("{error:#}");
                ExitCode::from(2)
            }
        },
    }
}
