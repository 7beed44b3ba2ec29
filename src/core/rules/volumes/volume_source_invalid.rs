//! `volume-source-invalid`: a volume source with a missing reference, a bad path or file mode.

use std::collections::HashMap;

use super::util::{Problem, local_non_reserved_path, mapping_items, no_backsteps, source_entries};
use crate::core::diagnostic::{Fix, Related, TextEdit};
use crate::core::formats::{self, Quantity};
use crate::core::manifest::{PodSpec, value_range};
use crate::core::rules::resources::util::quantity_text;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node};

declare_rule! {
    /// ## What it flags
    /// A volume source the API server rejects:
    ///
    /// - `configMap` without `name`, `secret` without `secretName`, an empty
    ///   `persistentVolumeClaim.claimName`, `hostPath.path` or `nfs.server`;
    /// - a `hostPath.path` with a `..` element, or a `hostPath.type` that is not one of `""`,
    ///   `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, `CharDevice`,
    ///   `BlockDevice`; an `nfs.path` that is not absolute;
    /// - `items[]` (of `configMap`, `secret`, `downwardAPI` and `projected` sources) with an
    ///   empty `key` or `path`, or a `path` that is absolute, has a `..` element or starts with
    ///   `..`; two projected items with the same `path`;
    /// - a `defaultMode` or `mode` outside 0..0777 (0..511 in decimal). YAML reads `0644` as
    ///   octal (420), which is fine, but `644` as decimal, which is too large;
    /// - a negative or unparsable `emptyDir.sizeLimit`;
    /// - a `downwardAPI` item that sets neither or both of `fieldRef` and `resourceFieldRef`, a
    ///   `fieldRef.fieldPath` other than `metadata.name`, `metadata.namespace`, `metadata.uid`,
    ///   `metadata.labels`, `metadata.annotations` (or one label or annotation as
    ///   `metadata.labels['key']`), a `resourceFieldRef` without `containerName` or with an
    ///   unknown `resource`;
    /// - a `projected.sources[]` item with more than one source, a projected `secret` or
    ///   `configMap` without `name`, a `serviceAccountToken.expirationSeconds` under 600 or
    ///   over 2^32;
    /// - a `csi.driver` that is empty or not a DNS subdomain, a `csi.nodePublishSecretRef`
    ///   without `name`;
    /// - an `ephemeral` volume without `volumeClaimTemplate`, or (in a Pod) whose claim name
    ///   `<pod name>-<volume name>` is not a valid object name.
    ///
    /// A volume with any of these problems is not registered, so its mounts are not reported
    /// again. Missing keys that the schema requires (`hostPath.path`, `items[].key`, …) are
    /// reported by `required-field-missing`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod, e.g. `volumes[0].configMap.defaultMode: Invalid value:
    /// 644: must be a number between 0 and 0777 (octal), both inclusive`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
    ///         defaultMode: 644
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
    ///         defaultMode: 0644
    /// ```
    pub(crate) VolumeSourceInvalid {
        id: "volume-source-invalid",
        severity: Error,
    }
}

impl Rule for VolumeSourceInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for volume in spec.volumes() {
            for problem in source_problems(volume, &spec) {
                if let Some(diagnostic) = sink.report(&Self::META, problem.range, problem.message) {
                    diagnostic.fix = problem.fix;
                    diagnostic.related = problem.related;
                }
            }
        }
    }
}

/// The problems of every source a volume sets.
pub(super) fn source_problems(volume: &Node, spec: &PodSpec<'_>) -> Vec<Problem> {
    let mut res = Vec::new();
    for source in source_entries(volume) {
        let value = &source.value;
        if value.entries().is_none() {
            continue;
        }
        let Some(kind) = source.key.json_key() else {
            continue;
        };
        match kind.as_str() {
            "emptyDir" => empty_dir(value, &mut res),
            "hostPath" => host_path(value, &mut res),
            "secret" => {
                required_name(
                    source,
                    "secretName",
                    "a `secret` volume needs `secretName`",
                    &mut res,
                );
                default_mode(value, &mut res);
                key_to_paths(value, &mut res, &mut None);
            }
            "configMap" => {
                required_name(
                    source,
                    "name",
                    "a `configMap` volume needs the `name` of the ConfigMap",
                    &mut res,
                );
                default_mode(value, &mut res);
                key_to_paths(value, &mut res, &mut None);
            }
            "persistentVolumeClaim" => empty_string(
                value,
                "claimName",
                "persistentVolumeClaim `claimName`",
                &mut res,
            ),
            "downwardAPI" => {
                default_mode(value, &mut res);
                for file in mapping_items(value.get("items")) {
                    downward_api_file(file, &mut res, &mut None);
                }
            }
            "projected" => projected(value, &mut res),
            "nfs" => nfs(value, &mut res),
            "csi" => csi(source, &mut res),
            "ephemeral" => ephemeral(volume, source, spec, &mut res),
            _ => {}
        }
    }
    res
}

fn empty_dir(source: &Node, res: &mut Vec<Problem>) {
    let Some(entry) = source.entry("sizeLimit") else {
        return;
    };
    let Some(text) = quantity_text(&entry.value) else {
        return;
    };
    match Quantity::parse(&text) {
        Err(reason) => res.push(Problem::new(
            value_range(entry),
            format!("emptyDir `sizeLimit` `{text}` is not a valid quantity: {reason}"),
        )),
        Ok(quantity) if quantity.is_negative() => res.push(Problem::new(
            value_range(entry),
            format!("emptyDir `sizeLimit` `{text}` must not be negative"),
        )),
        Ok(_) => {}
    }
}

const HOST_PATH_TYPES: &[&str] = &[
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
];

fn host_path(source: &Node, res: &mut Vec<Problem>) {
    if let Some(entry) = source.entry("path")
        && let Some(path) = entry.value.as_str()
    {
        if path.is_empty() {
            res.push(Problem::new(
                value_range(entry),
                "hostPath `path` is empty; give a path on the node",
            ));
            // The API server stops here and does not look at `type`.
            return;
        }
        if let Err(reason) = no_backsteps(path) {
            res.push(Problem::new(
                value_range(entry),
                format!("hostPath `path` `{path}` {reason}"),
            ));
        }
    }
    if let Some(entry) = source.entry("type")
        && let Some(kind) = entry.value.as_str()
        && !HOST_PATH_TYPES.contains(&kind)
    {
        let mut problem = Problem::new(
            value_range(entry),
            format!(
                "hostPath `type` `{kind}` is not supported: use one of `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, `CharDevice`, `BlockDevice` (or leave it empty)"
            ),
        );
        if let Some(known) = HOST_PATH_TYPES
            .iter()
            .find(|it| !it.is_empty() && it.eq_ignore_ascii_case(kind))
        {
            problem.fix = Some(replace(value_range(entry), known));
        }
        res.push(problem);
    }
}

/// A reference name the API server requires to be non-empty, though the schema does not list
/// it as required (and lets it be `null`): reported on the source key when absent, on the value
/// when empty or `null`.
fn required_name(source: &Entry, key: &str, message: &str, res: &mut Vec<Problem>) {
    match source.value.entry(key) {
        None => res.push(Problem::new(
            source.key.range,
            format!("{message}; it is missing"),
        )),
        Some(entry) if entry.value.is_null() || entry.value.as_str() == Some("") => {
            res.push(Problem::new(
                value_range(entry),
                format!("{message}; it is empty"),
            ));
        }
        Some(_) => {}
    }
}

/// A field whose absence the schema reports, but whose empty string only the API server does.
fn empty_string(source: &Node, key: &str, what: &str, res: &mut Vec<Problem>) {
    if let Some(entry) = source.entry(key)
        && entry.value.as_str() == Some("")
    {
        res.push(Problem::new(
            value_range(entry),
            format!("{what} is empty; it is required"),
        ));
    }
}

fn default_mode(source: &Node, res: &mut Vec<Problem>) {
    file_mode(source, "defaultMode", res);
}

/// `defaultMode` or `mode`: 0 to 0777.
fn file_mode(holder: &Node, key: &str, res: &mut Vec<Problem>) {
    let Some(entry) = holder.entry(key) else {
        return;
    };
    let Some(mode) = entry.value.as_i64() else {
        return;
    };
    if (0..=0o777).contains(&mode) {
        return;
    }
    let range = value_range(entry);
    let text = entry.value.scalar_text().unwrap_or_default();
    // `644` written without the leading zero is the usual mistake: YAML reads it as decimal.
    let octal_intended = !text.starts_with('0')
        && text.bytes().all(|b| (b'0'..=b'7').contains(&b))
        && i64::from_str_radix(text, 8).is_ok_and(|it| it <= 0o777);
    let mut problem = Problem::new(
        range,
        if octal_intended {
            format!(
                "`{key}` {text} is read as a decimal number, above 0777 (511); write `0{text}` for the octal mode"
            )
        } else {
            format!(
                "`{key}` {mode} is not a file mode: it must be between 0 and 0777 (octal), or 511 in decimal"
            )
        },
    );
    if octal_intended {
        problem.fix = Some(replace(range, &format!("0{text}")));
    }
    res.push(problem);
}

/// The `items` of a `configMap` or `secret` source (`validateKeyToPath`). `paths` collects the
/// paths of a projected volume, where they must be unique.
fn key_to_paths<'a>(
    source: &'a Node,
    res: &mut Vec<Problem>,
    paths: &mut Option<HashMap<String, &'a Entry>>,
) {
    for item in mapping_items(source.get("items")) {
        empty_string(item, "key", "item `key`", res);
        item_path(item, res, paths);
        file_mode(item, "mode", res);
    }
}

/// An item's `path`: required, relative, with no `..`; unique within a projected volume.
fn item_path<'a>(
    item: &'a Node,
    res: &mut Vec<Problem>,
    paths: &mut Option<HashMap<String, &'a Entry>>,
) {
    let Some(entry) = item.entry("path") else {
        return;
    };
    let Some(path) = entry.value.as_str() else {
        return;
    };
    if path.is_empty() {
        res.push(Problem::new(
            value_range(entry),
            "item `path` is empty; it is required",
        ));
        return;
    }
    if let Err(reason) = local_non_reserved_path(path) {
        res.push(Problem::new(
            value_range(entry),
            format!("item `path` `{path}` {reason}"),
        ));
    }
    if let Some(paths) = paths {
        if let Some(first) = paths.get(path) {
            let mut problem = Problem::new(
                value_range(entry),
                format!(
                    "path `{path}` is used twice in this projected volume; the files would conflict"
                ),
            );
            problem.related.push(Related {
                range: value_range(first),
                message: format!("`{path}` first used here"),
            });
            res.push(problem);
        } else {
            paths.insert(path.to_owned(), entry);
        }
    }
}

const DOWNWARD_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "metadata.annotations",
    "metadata.uid",
];

const DOWNWARD_RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

/// One `downwardAPI` item (`validateDownwardAPIVolumeFile`).
fn downward_api_file<'a>(
    file: &'a Node,
    res: &mut Vec<Problem>,
    paths: &mut Option<HashMap<String, &'a Entry>>,
) {
    item_path(file, res, paths);
    let field_ref = file
        .entry("fieldRef")
        .filter(|it| it.value.entries().is_some());
    let resource_ref = file
        .entry("resourceFieldRef")
        .filter(|it| it.value.entries().is_some());
    match (field_ref, resource_ref) {
        (Some(field_ref), Some(resource_ref)) => {
            field_selector(field_ref, res);
            res.push(Problem::new(
                resource_ref.key.range,
                "a downwardAPI item sets both `fieldRef` and `resourceFieldRef`; keep one",
            ));
        }
        (Some(field_ref), None) => field_selector(field_ref, res),
        (None, Some(resource_ref)) => resource_selector(resource_ref, res),
        (None, None) => res.push(Problem::new(
            first_key(file),
            "a downwardAPI item needs `fieldRef` or `resourceFieldRef`",
        )),
    }
    file_mode(file, "mode", res);
}

fn field_selector(field_ref: &Entry, res: &mut Vec<Problem>) {
    let selector = &field_ref.value;
    if let Some(entry) = selector.entry("apiVersion")
        && let Some(version) = entry.value.as_str()
        && !version.is_empty()
        && version != "v1"
    {
        res.push(Problem::new(
            value_range(entry),
            format!("fieldRef `apiVersion` `{version}` is not supported; use `v1` or leave it out"),
        ));
        return;
    }
    let Some(entry) = selector.entry("fieldPath") else {
        return;
    };
    let Some(path) = entry.value.as_str() else {
        return;
    };
    if path.is_empty() {
        res.push(Problem::new(
            value_range(entry),
            "fieldRef `fieldPath` is empty; it is required",
        ));
        return;
    }
    if let Some((base, key)) = subscript(path) {
        let checked = match base {
            "metadata.labels" => formats::qualified_name(key),
            "metadata.annotations" => formats::qualified_name(&key.to_ascii_lowercase()),
            _ => Err(format!("`{base}` does not support a subscript")),
        };
        if let Err(reason) = checked {
            res.push(Problem::new(
                value_range(entry),
                format!("fieldRef `fieldPath` `{path}` is not valid: {reason}"),
            ));
        }
    } else if !DOWNWARD_FIELD_PATHS.contains(&path) {
        res.push(Problem::new(
            value_range(entry),
            format!(
                "fieldRef `fieldPath` `{path}` is not supported in a volume: use `metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels`, `metadata.annotations`, or `metadata.labels['<key>']` / `metadata.annotations['<key>']`"
            ),
        ));
    }
}

/// `metadata.labels['key']` split into `metadata.labels` and `key`.
fn subscript(path: &str) -> Option<(&str, &str)> {
    let inner = path.strip_suffix("']")?;
    let (base, key) = inner.split_once("['")?;
    (!base.is_empty()).then_some((base, key))
}

fn resource_selector(resource_ref: &Entry, res: &mut Vec<Problem>) {
    let selector = &resource_ref.value;
    let container = match selector.get("containerName") {
        None => Some(""),
        Some(value) => value.as_str(),
    };
    if container == Some("") {
        res.push(Problem::new(
            resource_ref.key.range,
            "a downwardAPI `resourceFieldRef` in a volume needs `containerName`",
        ));
        return;
    }
    let Some(entry) = selector.entry("resource") else {
        return;
    };
    let Some(resource) = entry.value.as_str() else {
        return;
    };
    if resource.is_empty() {
        res.push(Problem::new(
            value_range(entry),
            "resourceFieldRef `resource` is empty; it is required",
        ));
    } else if !DOWNWARD_RESOURCES.contains(&resource)
        && !resource.starts_with("requests.hugepages-")
        && !resource.starts_with("limits.hugepages-")
    {
        res.push(Problem::new(
            value_range(entry),
            format!(
                "resourceFieldRef `resource` `{resource}` is not supported: use `limits.cpu`, `limits.memory`, `limits.ephemeral-storage`, `requests.cpu`, `requests.memory`, `requests.ephemeral-storage` or a `hugepages-` one"
            ),
        ));
    }
}

const PROJECTION_SOURCES: &[&str] = &[
    "secret",
    "configMap",
    "downwardAPI",
    "serviceAccountToken",
    "clusterTrustBundle",
];

fn projected(source: &Node, res: &mut Vec<Problem>) {
    default_mode(source, res);
    let mut paths = Some(HashMap::new());
    for item in mapping_items(source.get("sources")) {
        let kinds: Vec<&Entry> = item
            .entries()
            .unwrap_or_default()
            .iter()
            .filter(|it| {
                !it.value.is_null() && PROJECTION_SOURCES.iter().any(|kind| it.key.key_eq(kind))
            })
            .collect();
        for extra in kinds.iter().skip(1) {
            res.push(Problem::new(
                extra.key.range,
                "a projected source item may set only one of `secret`, `configMap`, `downwardAPI`, `serviceAccountToken` and `clusterTrustBundle`; put each in its own `- ` item",
            ));
        }
        for kind in kinds {
            let value = &kind.value;
            if value.entries().is_none() {
                continue;
            }
            match kind.key.json_key().unwrap_or_default().as_str() {
                "secret" => {
                    required_name(
                        kind,
                        "name",
                        "a projected `secret` needs the `name` of the Secret",
                        res,
                    );
                    key_to_paths(value, res, &mut paths);
                }
                "configMap" => {
                    required_name(
                        kind,
                        "name",
                        "a projected `configMap` needs the `name` of the ConfigMap",
                        res,
                    );
                    key_to_paths(value, res, &mut paths);
                }
                "downwardAPI" => {
                    for file in mapping_items(value.get("items")) {
                        downward_api_file(file, res, &mut paths);
                    }
                }
                "serviceAccountToken" => service_account_token(value, res),
                "clusterTrustBundle" => cluster_trust_bundle(kind, res, &mut paths),
                _ => {}
            }
        }
    }
}

fn service_account_token(token: &Node, res: &mut Vec<Problem>) {
    if let Some(entry) = token.entry("expirationSeconds")
        && let Some(seconds) = entry.value.as_i64()
    {
        if seconds < 600 {
            res.push(Problem::new(
                value_range(entry),
                format!("`expirationSeconds` {seconds} is less than 10 minutes (600)"),
            ));
        } else if seconds > 1 << 32 {
            res.push(Problem::new(
                value_range(entry),
                format!("`expirationSeconds` {seconds} is more than 2^32 seconds"),
            ));
        }
    }
    if let Some(entry) = token.entry("path")
        && let Some(path) = entry.value.as_str()
    {
        if path.is_empty() {
            res.push(Problem::new(
                value_range(entry),
                "serviceAccountToken `path` is empty; it is required",
            ));
        } else if let Err(reason) = local_non_reserved_path(path) {
            res.push(Problem::new(
                value_range(entry),
                format!("serviceAccountToken `path` `{path}` {reason}"),
            ));
        }
    }
}

fn cluster_trust_bundle<'a>(
    bundle: &'a Entry,
    res: &mut Vec<Problem>,
    paths: &mut Option<HashMap<String, &'a Entry>>,
) {
    let value = &bundle.value;
    let name = value.entry("name").filter(|it| !it.value.is_null());
    let signer = value.entry("signerName").filter(|it| !it.value.is_null());
    match (name, signer) {
        (Some(_), Some(signer)) => res.push(Problem::new(
            signer.key.range,
            "a `clusterTrustBundle` may set only one of `name` and `signerName`",
        )),
        (None, None) => res.push(Problem::new(
            bundle.key.range,
            "a `clusterTrustBundle` needs `name` or `signerName`",
        )),
        (Some(entry), None) | (None, Some(entry)) => {
            if entry.value.as_str() == Some("") {
                res.push(Problem::new(
                    value_range(entry),
                    "clusterTrustBundle name is empty",
                ));
            }
        }
    }
    item_path(value, res, paths);
}

fn nfs(source: &Node, res: &mut Vec<Problem>) {
    empty_string(source, "server", "nfs `server`", res);
    if let Some(entry) = source.entry("path")
        && let Some(path) = entry.value.as_str()
    {
        if path.is_empty() {
            res.push(Problem::new(
                value_range(entry),
                "nfs `path` is empty; give the absolute path of the export",
            ));
        } else if !path.starts_with('/') {
            res.push(Problem::new(
                value_range(entry),
                format!("nfs `path` `{path}` must be an absolute path"),
            ));
        }
    }
}

fn csi(source: &Entry, res: &mut Vec<Problem>) {
    let value = &source.value;
    if let Some(entry) = value.entry("driver")
        && let Some(driver) = entry.value.as_str()
    {
        if driver.is_empty() {
            res.push(Problem::new(
                value_range(entry),
                "csi `driver` is empty; it is required",
            ));
        } else if driver.len() > 63 {
            res.push(Problem::new(
                value_range(entry),
                format!("csi `driver` `{driver}` must be no more than 63 characters"),
            ));
        } else if let Err(reason) = formats::dns1123_subdomain(&driver.to_ascii_lowercase()) {
            res.push(Problem::new(
                value_range(entry),
                format!("csi `driver` `{driver}` is not a valid DNS subdomain: {reason}"),
            ));
        }
    }
    if let Some(secret_ref) = value
        .entry("nodePublishSecretRef")
        .filter(|it| it.value.entries().is_some())
    {
        match secret_ref.value.entry("name") {
            None => res.push(Problem::new(
                secret_ref.key.range,
                "`nodePublishSecretRef` needs the `name` of the Secret",
            )),
            Some(entry) if entry.value.is_null() || entry.value.as_str() == Some("") => {
                res.push(Problem::new(
                    value_range(entry),
                    "`nodePublishSecretRef.name` is empty; it is required",
                ));
            }
            Some(entry) => {
                if let Some(name) = entry.value.as_str()
                    && let Err(reason) = formats::dns1123_subdomain(name)
                {
                    res.push(Problem::new(
                        value_range(entry),
                        format!("Secret name `{name}` is not a valid DNS subdomain: {reason}"),
                    ));
                }
            }
        }
    }
}

fn ephemeral(volume: &Node, source: &Entry, spec: &PodSpec<'_>, res: &mut Vec<Problem>) {
    if source.value.get("volumeClaimTemplate").is_none() {
        res.push(Problem::new(
            source.key.range,
            "an `ephemeral` volume needs a `volumeClaimTemplate`",
        ));
        return;
    }
    // A Pod's ephemeral volume creates the claim `<pod name>-<volume name>`, which must be a
    // valid object name; a template's pod name is not known yet.
    if spec.is_template() {
        return;
    }
    let pod_name = spec
        .metadata
        .and_then(|it| it.get("name"))
        .and_then(Node::as_str)
        .unwrap_or_default();
    let Some(entry) = volume.entry("name") else {
        return;
    };
    let Some(volume_name) = entry.value.as_str() else {
        return;
    };
    if pod_name.is_empty() || volume_name.is_empty() {
        return;
    }
    let claim = format!("{pod_name}-{volume_name}");
    if let Err(reason) = formats::dns1123_subdomain(&claim) {
        res.push(Problem::new(
            value_range(entry),
            format!(
                "the claim name `{claim}` made for this ephemeral volume is not valid: {reason}"
            ),
        ));
    }
}

/// The first key of a mapping, or the mapping itself when it is empty.
fn first_key(node: &Node) -> TextRange {
    node.entries()
        .and_then(|it| it.first())
        .map_or(node.range, |it| it.key.range)
}

fn replace(range: TextRange, new_text: &str) -> Fix {
    Fix {
        title: format!("Change to `{new_text}`"),
        edits: vec![TextEdit {
            range,
            new_text: new_text.to_owned(),
        }],
    }
}
