//! The command line: `kls lint`, `kls rules`, `kls rule <id>`, `kls lsp`.

mod baseline;
mod dry_run;
mod lint;
mod output;
pub mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use lint::{FileReport, Limits, LintOutcome, Note, lint_paths, lint_paths_within};

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
    Lsp {
        /// Use stdin/stdout, the only transport. Accepted because many clients pass it.
        #[arg(long)]
        stdio: bool,
    },
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
    /// Name to show for stdin in the output; stdin is then treated as a file of that name
    /// would be (a Helm template, a kustomize patch, …).
    #[arg(long, value_name = "NAME", default_value = lint::DEFAULT_STDIN_NAME)]
    pub stdin_filename: String,
    /// Refuse files larger than this (bytes, or e.g. `64MiB`, `512KiB`). Default: 64MiB.
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Exit 0 even when errors are found.
    #[arg(long)]
    pub exit_zero: bool,
    /// Also send every object to the cluster as a server-side-apply dry run (nothing is
    /// changed) and report the API server's rejections on their lines.
    #[arg(long)]
    pub server_dry_run: bool,
    /// The kubeconfig context for `--server-dry-run` (default: the `context` option, else
    /// the current context).
    #[arg(long, value_name = "CONTEXT", requires = "server_dry_run")]
    pub context: Option<String>,
    /// Report the rule ids of `# kls: ignore[…]` comments and `kls.dev/ignore` annotations
    /// that suppress nothing (`suppression-unused`).
    #[arg(long)]
    pub report_unused_suppressions: bool,
    /// Report only the findings that are not in this baseline (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,
    /// Write every finding to this baseline file, report nothing and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<std::path::PathBuf>,
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
    /// JUnit XML, for the test reports of Jenkins, GitLab and Azure Pipelines.
    Junit,
    /// A GitLab Code Quality report (JSON).
    Gitlab,
}

/// Parses the process's arguments and runs them; help and version go through the same
/// writing as every command's output, so they too stop quietly at a closed pipe and fail
/// loudly on a failed write.
#[must_use]
pub fn main() -> ExitCode {
    use std::io::IsTerminal;
    let error = match Cli::try_parse() {
        Ok(cli) => return run(cli),
        Err(error) => error,
    };
    let code = ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
    if error.use_stderr() || std::io::stdout().is_terminal() {
        // Usage errors, and help on a terminal (where clap picks the colours).
        let _ = error.print();
        return code;
    }
    match output::to_stdout(|out| write!(out, "{}", error.render())) {
        Ok(()) => code,
        Err(failed) => failed,
    }
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
        Command::Rules => match output::to_stdout(render::write_rules) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Command::Rule { id } => {
            let Some(rule) = crate::core::rules::by_id(&id) else {
                render::print_error(&format!("there is no rule `{id}`; `kls rules` lists them"));
                return ExitCode::from(2);
            };
            match output::to_stdout(|out| render::write_rule(out, rule.meta())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
        // The protocol asks for 1 when the client exits without `shutdown`; a client that
        // goes away without `exit` ends the session just as abnormally.
        Command::Lsp { stdio: _ } => match crate::lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!("{error:#}");
                ExitCode::FAILURE
            }
        },
    }
}
