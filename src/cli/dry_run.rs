//! `kls lint --server-dry-run`: every object of every file is sent to the cluster as a
//! server-side-apply dry run (`dryRun=All`, `fieldValidation=Strict`, field manager `kls`,
//! forced so that fields another manager owns do not count as errors), and each rejection
//! becomes a diagnostic on the line of the field the API server named (code
//! `cluster-rejected`, source `cluster`), beside the offline checks.

use std::path::PathBuf;

use crate::cli::lint::LintOutcome;
use crate::cluster::{
    ClusterError, ClusterHandle, ClusterSettings, Command, Event, Object, ObjectError, Outcome,
};
use crate::config::Options;
use crate::core::cluster::{self, rejection_diagnostics};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::yaml::{Node, parse};

/// The cluster settings of a lint run: the flag, else the options.
pub(super) fn cluster_settings(options: &Options, context: Option<&str>) -> ClusterSettings {
    ClusterSettings {
        kubeconfig: options.kubeconfig.as_ref().map(PathBuf::from),
        context: context
            .map(str::to_owned)
            .or_else(|| options.context.clone()),
    }
}

/// Dry-runs every object of the outcome's files and adds the rejections to their reports.
///
/// # Errors
/// When the cluster cannot be used at all (no kubeconfig, unreachable).
pub(super) fn check(
    outcome: &mut LintOutcome,
    settings: &ClusterSettings,
) -> Result<(), ClusterError> {
    let (sender, events) = crossbeam_channel::unbounded();
    let mut handle = ClusterHandle::new(sender);
    let mut pending = Vec::new();
    for (file_index, file) in outcome.files.iter().enumerate() {
        let parsed = parse(&file.text);
        let roots: Vec<Option<Node>> = parsed.documents.into_iter().map(|it| it.root).collect();
        let objects: Vec<Object> = roots
            .iter()
            .enumerate()
            .filter_map(|(index, root)| Object::from_json(index, root.as_ref()?.to_json()))
            .collect();
        if objects.is_empty() {
            continue;
        }
        let id = handle.request(
            settings.clone(),
            Command::DryRun {
                objects,
                force: true,
            },
        );
        pending.push((id, file_index, roots));
    }
    let mut remaining = pending.len();
    while remaining > 0 {
        let Ok(event) = events.recv() else {
            return Err(ClusterError("the cluster client stopped".to_owned()));
        };
        let Event::Finished { id, result } = event else {
            continue;
        };
        remaining -= 1;
        let Some((_, file_index, roots)) = pending.iter().find(|it| it.0 == id) else {
            continue;
        };
        let Outcome::Applied { results, .. } = result? else {
            continue;
        };
        let file = &mut outcome.files[*file_index];
        for result in results {
            let (Err(error), Some(Some(root))) = (result.outcome, roots.get(result.index)) else {
                continue;
            };
            match error {
                ObjectError::Rejected(rejection) => {
                    file.diagnostics
                        .extend(rejection_diagnostics(root, &rejection));
                }
                ObjectError::Failed(message) => {
                    let range = root
                        .entry("kind")
                        .map_or(root.range, |entry| entry.key.range);
                    file.diagnostics.push(Diagnostic::new(
                        cluster::REJECTED,
                        Severity::Error,
                        range,
                        format!("the dry run of {} failed: {message}", result.object),
                    ));
                }
            }
        }
        file.diagnostics
            .sort_by_key(|it| (it.range.start, it.range.end));
    }
    Ok(())
}
