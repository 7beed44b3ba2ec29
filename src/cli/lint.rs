//! `kls lint`: find the files, check them in parallel, render, pick the exit code.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::baseline::Baseline;
use super::{LintArgs, render};
use crate::config::{Options, SizeOption};
use crate::core::analysis::{self, FileKind};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::files;
use crate::core::schema::SchemaStore;
use crate::core::settings::Settings;
use crate::core::suppression::{self, Suppression};
use crate::core::text::LineIndex;
use crate::core::workspace::ObjectSummary;
use crate::core::yaml::split_documents;

/// The name stdin goes by unless `--stdin-filename` gives another.
pub(super) const DEFAULT_STDIN_NAME: &str = "<stdin>";

/// Files larger than this are checked a document at a time on several threads.
const PARALLEL_FILE_BYTES: usize = 256 * 1024;

/// The diagnostics of one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as the user gave it (or the stdin name).
    pub path: String,
    /// The file's text.
    pub text: Arc<str>,
    /// Its line index.
    pub line_index: LineIndex,
    /// What was found, in order of position.
    pub diagnostics: Vec<Diagnostic>,
}

/// What linting a set of paths gave.
#[derive(Debug, Default)]
pub struct LintOutcome {
    /// One report per file read (files with nothing to say included).
    pub files: Vec<FileReport>,
    /// Paths that could not be read, with the reason.
    pub unreadable: Vec<String>,
    /// Notes about the run rather than a manifest: one per Helm chart whose templates were
    /// left out. They never change the exit code.
    pub notes: Vec<Note>,
}

/// A note about the run, tied to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file it is about (a chart's `Chart.yaml`), as the user would write it.
    pub path: String,
    /// What to say.
    pub message: String,
}

impl LintOutcome {
    /// How many diagnostics have this severity.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|it| &it.diagnostics)
            .filter(|it| it.severity == severity)
            .count()
    }
}

pub(super) fn run(args: &LintArgs) -> ExitCode {
    let (settings, options, config_problems) = match resolve_settings(args) {
        Ok(it) => it,
        Err(message) => {
            render::print_error(&message);
            return ExitCode::from(2);
        }
    };
    let max_size = match &options.max_file_size {
        Some(size) => size.bytes(),
        None => Ok(crate::config::DEFAULT_MAX_FILE_SIZE),
    };
    let mut config_problems = config_problems;
    let max_size = max_size.unwrap_or_else(|problem| {
        config_problems.push(problem);
        0
    });
    for problem in &config_problems {
        render::print_error(problem);
    }
    if !config_problems.is_empty() {
        return ExitCode::from(2);
    }
    let limits = Limits { max_size };
    let paths = if args.paths.is_empty() {
        vec![".".to_owned()]
    } else {
        args.paths.clone()
    };
    // The store lives until the process exits: freeing thousands of compiled schema nodes
    // one by one would only delay the exit.
    let schemas: &'static SchemaStore = Box::leak(Box::new(SchemaStore::bundled()));
    let baseline = match &args.baseline {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match Baseline::from_json(&text, &path.display().to_string()) {
                Ok(it) => Some(it),
                Err(message) => {
                    render::print_error(&message);
                    return ExitCode::from(2);
                }
            },
            Err(e) => {
                render::print_error(&format!("cannot read {}: {e}", path.display()));
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let mut outcome = lint_paths_within(
        &paths,
        &options.exclude,
        &args.stdin_filename,
        schemas,
        &settings,
        limits,
    );
    for problem in &outcome.unreadable {
        render::print_error(problem);
    }
    if args.server_dry_run {
        let cluster = super::dry_run::cluster_settings(&options, args.context.as_deref());
        if let Err(error) = super::dry_run::check(&mut outcome, &cluster) {
            render::print_error(&error.to_string());
            return ExitCode::from(2);
        }
    }
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::of(&outcome);
        if let Err(e) = std::fs::write(path, baseline.to_json()) {
            render::print_error(&format!("cannot write {}: {e}", path.display()));
            return ExitCode::from(2);
        }
        super::output::note_line(&format!(
            "wrote {} findings to the baseline {}",
            baseline.count(),
            path.display()
        ));
        return if outcome.unreadable.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    if let Some(baseline) = &baseline {
        baseline.filter(&mut outcome);
    }
    // Nothing read and something unreadable: the error says it all.
    let nothing_to_say = outcome.files.is_empty() && !outcome.unreadable.is_empty();
    if nothing_to_say && args.format == super::Format::Human {
        return ExitCode::from(2);
    }
    // The stdout of JSON, JUnit and GitLab is a report for programs: notes go to stderr.
    if matches!(
        args.format,
        super::Format::Json | super::Format::Junit | super::Format::Gitlab
    ) {
        for note in &outcome.notes {
            super::output::note_line(&note.message);
        }
    }
    if let Err(code) = super::output::to_stdout(|out| render::write(out, &outcome, args.format)) {
        return code;
    }
    if !outcome.unreadable.is_empty() {
        ExitCode::from(2)
    } else if outcome.count(Severity::Error) > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn resolve_settings(args: &LintArgs) -> Result<(Settings, Options, Vec<String>), String> {
    let file_options = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Options::from_yaml(&text, &path.display().to_string()).map_err(|e| e.to_string())?
        }
        None => Options::load_from_dir(Path::new("."))
            .map_err(|e| e.to_string())?
            .unwrap_or_default(),
    };
    let flags = Options {
        kubernetes_version: args.kubernetes_version.clone(),
        max_file_size: args.max_file_size.clone().map(SizeOption::Text),
        ..Options::default()
    };
    let options = file_options.merged_with(&flags);
    let (mut settings, problems) = options.to_settings();
    settings.report_unused_suppressions |= args.report_unused_suppressions;
    Ok((settings, options, problems))
}

/// Bounds on what `kls lint` reads.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest file, in bytes.
    pub max_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Lints files, directories and `-` (stdin), in parallel, with the default limits.
#[must_use]
pub fn lint_paths(
    paths: &[String],
    excludes: &[String],
    stdin_name: &str,
    schemas: &SchemaStore,
    settings: &Settings,
) -> LintOutcome {
    lint_paths_within(
        paths,
        excludes,
        stdin_name,
        schemas,
        settings,
        Limits::default(),
    )
}

/// Lints files, directories and `-` (stdin), in parallel.
///
/// Files named are read even when they are symbolic links; links found while walking a folder
/// are not followed, as ripgrep does.
#[must_use]
pub fn lint_paths_within(
    paths: &[String],
    excludes: &[String],
    stdin_name: &str,
    schemas: &SchemaStore,
    settings: &Settings,
    limits: Limits,
) -> LintOutcome {
    let mut outcome = LintOutcome::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stdin = None;
    for path in paths {
        if path == "-" {
            match read_limited(std::io::stdin().lock(), limits.max_size) {
                Ok(text) => stdin = Some(text),
                Err(e) => outcome.unreadable.push(format!("cannot read stdin: {e}")),
            }
            continue;
        }
        let path = PathBuf::from(path);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                collect_dir(&path, excludes, &mut files, &mut outcome.unreadable);
            }
            Ok(_) => files.push(path),
            Err(e) => outcome
                .unreadable
                .push(format!("cannot read {}: {e}", path.display())),
        }
    }
    files.sort();
    files.dedup();
    let files = sort_out(files, &mut outcome.notes);
    let results: Vec<Result<Checked, String>> = files
        .par_iter()
        .map(|(path, kind)| {
            let text = std::fs::File::open(path)
                .map_err(|e| e.to_string())
                .and_then(|file| read_limited(file, limits.max_size))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok(check_text(
                path.display().to_string(),
                text,
                *kind,
                schemas,
                settings,
            ))
        })
        .collect();
    let mut objects = Vec::new();
    let mut suppressions = Vec::new();
    for result in results {
        match result {
            Ok((report, summaries, file_suppressions)) => {
                outcome.files.push(report);
                objects.push(summaries);
                suppressions.push(file_suppressions);
            }
            Err(message) => outcome.unreadable.push(message),
        }
    }
    // Stdin named with `--stdin-filename` is what a file of that name would be.
    let stdin_kind = if stdin_name == DEFAULT_STDIN_NAME {
        Some(FileKind::Manifests)
    } else {
        sort_out(vec![PathBuf::from(stdin_name)], &mut outcome.notes)
            .pop()
            .map(|(_, kind)| kind)
    };
    if let (Some(text), Some(kind)) = (stdin, stdin_kind) {
        let (report, summaries, file_suppressions) =
            check_text(stdin_name.to_owned(), text, kind, schemas, settings);
        outcome.files.push(report);
        objects.push(summaries);
        suppressions.push(file_suppressions);
    }
    // The files of one run are one workspace: a Service is matched against every file's pods.
    let lists: Vec<&[ObjectSummary]> = objects.iter().map(Vec::as_slice).collect();
    let extra = analysis::workspace_diagnostics(&lists, settings);
    for ((file, mut diagnostics), suppressions) in
        outcome.files.iter_mut().zip(extra).zip(&mut suppressions)
    {
        suppression::apply(suppressions, &mut diagnostics);
        diagnostics.extend(suppression::unused(suppressions, settings));
        if !diagnostics.is_empty() {
            file.diagnostics.extend(diagnostics);
            file.diagnostics
                .sort_by_key(|it| (it.range.start, it.range.end));
        }
    }
    outcome
}

/// Leaves out the files that hold no objects (by name) and the templates of Helm charts (with
/// one note per chart), and says which of the rest are kustomize patches: listed by a
/// kustomization among `files`, or by the nearest kustomization at or above them.
fn sort_out(files: Vec<PathBuf>, notes: &mut Vec<Note>) -> Vec<(PathBuf, FileKind)> {
    let mut charts: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut kustomizations: HashMap<PathBuf, Option<(PathBuf, Vec<String>)>> = HashMap::new();
    // The patches of every kustomization among the files, wherever they are (`../common/…`).
    let mut listed: HashSet<PathBuf> = HashSet::new();
    for path in &files {
        let is_kustomization = path
            .file_name()
            .and_then(|it| it.to_str())
            .is_some_and(|it| files::KUSTOMIZATION_FILES.contains(&it));
        if let (true, Some(dir)) = (is_kustomization, path.parent())
            && let Ok(text) = std::fs::read_to_string(path)
        {
            listed.extend(files::patch_paths(
                dir,
                &files::kustomization_patches(&text),
            ));
        }
    }
    let mut res = Vec::new();
    for path in files {
        if files::is_not_objects(&path) {
            continue;
        }
        let chart = files::chart_candidates(&path)
            .into_iter()
            .find(|dir| dir.join(files::CHART_FILE).is_file());
        if let Some(chart) = chart {
            *charts.entry(chart.to_path_buf()).or_default() += 1;
            continue;
        }
        let nearest = path
            .parent()
            .and_then(|dir| nearest_kustomization(dir, &mut kustomizations));
        let kind = match nearest {
            _ if listed.contains(&files::normalize(&path)) => FileKind::Patches,
            Some((dir, patches)) if files::is_listed_patch(dir, patches, &path) => {
                FileKind::Patches
            }
            _ => FileKind::Manifests,
        };
        res.push((path, kind));
    }
    for (chart, templates) in charts {
        notes.push(Note {
            path: chart.join(files::CHART_FILE).display().to_string(),
            message: files::chart_note(&chart.display().to_string(), Some(templates)),
        });
    }
    res
}

/// The kustomization nearest to `dir` (in it or in a folder above it): its folder and the
/// patches it lists. Each folder is read once.
fn nearest_kustomization<'a>(
    dir: &Path,
    cache: &'a mut HashMap<PathBuf, Option<(PathBuf, Vec<String>)>>,
) -> Option<&'a (PathBuf, Vec<String>)> {
    if !cache.contains_key(dir) {
        let found = files::KUSTOMIZATION_FILES
            .iter()
            .find_map(|name| std::fs::read_to_string(dir.join(name)).ok())
            .map(|text| (dir.to_path_buf(), files::kustomization_patches(&text)));
        let found = match found {
            Some(it) => Some(it),
            None => match dir.parent() {
                Some(parent) if !dir.as_os_str().is_empty() => {
                    nearest_kustomization(parent, cache).cloned()
                }
                _ => None,
            },
        };
        cache.insert(dir.to_path_buf(), found);
    }
    cache.get(dir).and_then(Option::as_ref)
}

/// Reads UTF-8 text, stopping as soon as it is larger than `max_size` bytes or is not UTF-8.
/// Sizes are not trusted: a device, a FIFO or a pipe reports none.
fn read_limited(mut reader: impl Read, max_size: u64) -> Result<String, String> {
    const BLOCK: usize = 64 * 1024;
    let too_large = || {
        format!(
            "it is larger than {} (raise `maxFileSize` in .kls.yaml or `--max-file-size`)",
            size_text(max_size)
        )
    };
    let mut bytes = Vec::new();
    // Everything before this offset is known to be valid UTF-8.
    let mut valid = 0;
    loop {
        let start = bytes.len();
        bytes.resize(start + BLOCK, 0);
        let read = loop {
            match reader.read(&mut bytes[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.to_string()),
            }
        };
        bytes.truncate(start + read);
        if bytes.len() as u64 > max_size {
            return Err(too_large());
        }
        match std::str::from_utf8(&bytes[valid..]) {
            Ok(_) => valid = bytes.len(),
            Err(e) if e.error_len().is_none() && read > 0 => valid += e.valid_up_to(),
            Err(e) => {
                let at = valid + e.valid_up_to();
                return Err(format!("it is not UTF-8 text (byte {at})"));
            }
        }
        if read == 0 {
            break;
        }
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
}

/// A size for messages: `64 MiB`, or bytes when it is not a whole number of KiB.
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

fn check_text(
    path: String,
    text: String,
    kind: FileKind,
    schemas: &SchemaStore,
    settings: &Settings,
) -> Checked {
    // A large file's documents are checked in parallel, so one big stream uses every core.
    let analysis = if text.len() > PARALLEL_FILE_BYTES {
        let chunks = split_documents(&text);
        let reports: Vec<analysis::ChunkReport> = chunks
            .par_iter()
            .map(|chunk| analysis::check_document(&text[chunk.to_usize()], kind, schemas, settings))
            .collect();
        analysis::combine(&chunks, &reports)
    } else {
        analysis::analyze_file(&text, kind, schemas, settings)
    };
    let mut diagnostics = analysis.diagnostics;
    diagnostics.sort_by_key(|it| (it.range.start, it.range.end));
    let report = FileReport {
        path,
        line_index: LineIndex::new(&text),
        text: Arc::from(text),
        diagnostics,
    };
    (report, analysis.objects, analysis.suppressions)
}

/// A file's report, its objects for the workspace checks, and its suppressions (already
/// applied to the report) for the workspace diagnostics.
type Checked = (FileReport, Vec<ObjectSummary>, Vec<Suppression>);

fn collect_dir(
    dir: &Path,
    excludes: &[String],
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<String>,
) {
    let mut overrides = ignore::overrides::OverrideBuilder::new(dir);
    for pattern in excludes {
        if let Err(e) = overrides.add(&format!("!{pattern}")) {
            errors.push(format!("exclude pattern `{pattern}`: {e}"));
        }
    }
    let mut walk = ignore::WalkBuilder::new(dir);
    // Honour .gitignore whether or not the folder is a git checkout.
    walk.require_git(false);
    if let Ok(overrides) = overrides.build() {
        walk.overrides(overrides);
    }
    for entry in walk.build() {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if files::is_yaml(path) && entry.file_type().is_some_and(|it| it.is_file()) {
                    files.push(path.to_path_buf());
                }
            }
            Err(e) => errors.push(format!("cannot read {}: {e}", dir.display())),
        }
    }
}
