//! What a file is, from its path and from the files beside it: a manifest, a file that is
//! never a Kubernetes object (`Chart.yaml`, `values.yaml`, `kustomization.yaml`…), a Helm
//! chart's template, or a kustomize patch. Pure: the shells read the folders and the
//! `kustomization.yaml` files, and ask here what the answers mean.

use std::path::{Component, Path, PathBuf};

use crate::core::yaml::{self, Node};

/// The file that makes a folder a Helm chart.
pub const CHART_FILE: &str = "Chart.yaml";

/// The names kustomize reads a kustomization from, in the order it tries them.
pub const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether kls reads files with this name at all: `*.yaml` and `*.yml`.
#[must_use]
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|it| it.to_str())
        .is_some_and(|it| it == "yaml" || it == "yml")
}

/// Whether the file's name says it is YAML that holds no Kubernetes object, whatever it
/// holds: a Helm chart's `Chart.yaml`, `values*.yaml` and `requirements.yaml`, a kustomization,
/// Skaffold's `skaffold.yaml` (whose `apiVersion: skaffold/…` and `kind: Config` look like an
/// object's) and kls's own `.kls.yaml`. Such files are never checked, so that `apiVersion: v2`
/// in a `Chart.yaml` is not taken for a manifest without a `kind`.
#[must_use]
pub fn is_not_objects(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|it| it.to_str()) else {
        return false;
    };
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"));
    KUSTOMIZATION_FILES.contains(&name)
        || matches!(
            name,
            "Chart.yaml" | "requirements.yaml" | "skaffold.yaml" | "skaffold.yml" | ".kls.yaml"
        )
        || stem.is_some_and(|it| {
            it == "values"
                || it
                    .strip_prefix("values")
                    .is_some_and(|rest| rest.starts_with(['-', '.', '_']))
        })
}

/// The folders that would make `path` a Helm chart template if they hold a [`CHART_FILE`]:
/// each folder `D` such that `path` is under `D/templates/`, nearest first. The shell looks
/// for `D/Chart.yaml`; the first that exists is the chart.
#[must_use]
pub fn chart_candidates(path: &Path) -> Vec<&Path> {
    path.ancestors()
        .skip(1)
        .filter(|dir| dir.file_name().is_some_and(|it| it == "templates"))
        .filter_map(Path::parent)
        .collect()
}

/// The note for a chart whose templates are not checked; `chart` is the chart's folder as the
/// user sees it, `templates` how many were left out, when that is known.
#[must_use]
pub fn chart_note(chart: &str, templates: Option<usize>) -> String {
    let chart = if chart.is_empty() { "." } else { chart };
    let count = match templates {
        Some(1) => " (1 file)".to_owned(),
        Some(n) => format!(" ({n} files)"),
        None => String::new(),
    };
    format!(
        "{chart} is a Helm chart: its templates{count} are Go templates, not checked; lint the rendered chart with `helm template {chart} | kls lint -`"
    )
}

/// The patch files a kustomization lists, as written (relative to its folder): the `path` of
/// each `patches` and `patchesJson6902` entry, and each `patchesStrategicMerge` entry that is
/// a file name rather than an inline patch.
#[must_use]
pub fn kustomization_patches(text: &str) -> Vec<String> {
    let parsed = yaml::parse(text);
    let Some(root) = parsed.documents.first().and_then(|it| it.root.as_ref()) else {
        return Vec::new();
    };
    let items = |field: &str| root.get(field).and_then(Node::items).unwrap_or_default();
    let mut res = Vec::new();
    for field in ["patches", "patchesJson6902"] {
        for item in items(field) {
            if let Some(path) = item.get("path").and_then(Node::scalar_text) {
                res.push(path.to_owned());
            }
        }
    }
    for item in items("patchesStrategicMerge") {
        // An inline patch is a YAML document in a string: it has a line break or a `key:`.
        if let Some(path) = item.scalar_text().filter(|it| !it.contains(['\n', ':'])) {
            res.push(path.to_owned());
        }
    }
    res
}

/// Whether `file` is one of the `patches` (from [`kustomization_patches`]) of the
/// kustomization in folder `dir`. Paths are compared as written, `.` and `..` resolved.
#[must_use]
pub fn is_listed_patch(dir: &Path, patches: &[String], file: &Path) -> bool {
    let file = normalize(file);
    patches
        .iter()
        .any(|patch| normalize(&dir.join(patch)) == file)
}

/// The files that the `patches` (from [`kustomization_patches`]) of the kustomization in
/// folder `dir` name, as [`normalize`]d paths.
#[must_use]
pub fn patch_paths(dir: &Path, patches: &[String]) -> Vec<PathBuf> {
    patches.iter().map(|it| normalize(&dir.join(it))).collect()
}

/// `path` with `.` dropped and `..` taking off the folder before it, without reading the disk.
#[must_use]
pub fn normalize(path: &Path) -> PathBuf {
    let mut res = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !res.pop() {
                    res.push("..");
                }
            }
            other => res.push(other),
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_files_hold_no_objects() {
        for name in [
            "chart/Chart.yaml",
            "chart/values.yaml",
            "values-prod.yaml",
            "values.dev.yml",
            "base/kustomization.yaml",
            "Kustomization",
            "skaffold.yaml",
            ".kls.yaml",
        ] {
            assert!(is_not_objects(Path::new(name)), "{name}");
        }
        for name in [
            "deploy.yaml",
            "valuesfile.yaml",
            "my-values.yaml",
            "chart.yaml",
        ] {
            assert!(!is_not_objects(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn a_template_is_under_the_templates_folder_of_its_chart() {
        assert_eq!(
            chart_candidates(Path::new("charts/web/templates/sub/deploy.yaml")),
            vec![Path::new("charts/web")]
        );
        assert_eq!(
            chart_candidates(Path::new("templates/deploy.yaml")),
            vec![Path::new("")]
        );
        assert!(chart_candidates(Path::new("charts/web/crds/crd.yaml")).is_empty());
        assert!(chart_candidates(Path::new("charts/web/templates")).is_empty());
    }

    #[test]
    fn patches_are_found_where_the_kustomization_lists_them() {
        let text = "resources:\n  - ../base\npatches:\n  - path: patches/replicas.yaml\n  - patch: |-\n      - op: remove\n        path: /spec/replicas\n    target:\n      kind: Deployment\npatchesStrategicMerge:\n  - ./memory.yaml\n  - |-\n    apiVersion: v1\n    kind: ConfigMap\npatchesJson6902:\n  - target:\n      kind: Service\n    path: ops.yaml\n";
        let patches = kustomization_patches(text);
        assert_eq!(
            patches,
            ["patches/replicas.yaml", "ops.yaml", "./memory.yaml"]
        );
        let dir = Path::new("./overlays/prod");
        for file in [
            "overlays/prod/patches/replicas.yaml",
            "./overlays/prod/memory.yaml",
            "overlays/prod/../prod/ops.yaml",
        ] {
            assert!(is_listed_patch(dir, &patches, Path::new(file)), "{file}");
        }
        assert!(!is_listed_patch(
            dir,
            &patches,
            Path::new("overlays/prod/deploy.yaml")
        ));
        assert!(kustomization_patches("resources: [a.yaml]\n").is_empty());
        assert!(kustomization_patches("{ broken").is_empty());
    }
}
