//! `volume-name-invalid`: a volume name that is not a DNS-1123 label.

use super::util::mounts;
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// A `spec.volumes[].name` that is empty or not a DNS-1123 label: at most 63 lower case
    /// letters, digits and `-`, starting and ending with a letter or digit (so no dots, no `_`,
    /// no upper case).
    ///
    /// ## Why it matters
    /// The API server rejects the pod (`volumes[0].name: Invalid value`). The volume is then not
    /// registered, so every mount that names it fails too; kls reports only the volume.
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
    ///     - name: app_data
    ///       emptyDir: {}
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
    ///     - name: app-data
    ///       emptyDir: {}
    /// ```
    pub(crate) VolumeNameInvalid {
        id: "volume-name-invalid",
        severity: Error,
    }
}

impl Rule for VolumeNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for volume in spec.volumes() {
            let Some((range, message)) = name_problem(volume) else {
                continue;
            };
            let Some(diagnostic) = sink.report(&Self::META, range, message) else {
                continue;
            };
            let Some(old) = volume.get("name").and_then(Node::as_str) else {
                continue;
            };
            let taken = |new: &str| {
                spec.volumes()
                    .iter()
                    .any(|it| it.get("name").and_then(Node::as_str) == Some(new))
            };
            if let Some(new) = suggested_name(old).filter(|it| !taken(it)) {
                // The mounts that name the volume are renamed with it.
                let mut edits = vec![TextEdit {
                    range,
                    new_text: new.clone(),
                }];
                for container in spec.containers() {
                    for mount in mounts(&container) {
                        if let Some(entry) = mount.entry("name")
                            && entry.value.as_str() == Some(old)
                        {
                            edits.push(TextEdit {
                                range: value_range(entry),
                                new_text: new.clone(),
                            });
                        }
                    }
                }
                diagnostic.fix = Some(Fix {
                    title: format!("Rename the volume to `{new}`"),
                    edits,
                });
            }
        }
    }
}

/// A DNS-1123 label close to `name`: lower case, with `_`, `.` and spaces turned into `-`.
fn suggested_name(name: &str) -> Option<String> {
    let res: String = name
        .chars()
        .map(|it| match it {
            '_' | '.' | ' ' => '-',
            it => it.to_ascii_lowercase(),
        })
        .collect();
    let res = res.trim_matches('-').to_owned();
    (res != name && formats::dns1123_label(&res).is_ok()).then_some(res)
}

/// What is wrong with a volume's name, if it is a string that is not a DNS-1123 label.
pub(super) fn name_problem(volume: &Node) -> Option<(TextRange, String)> {
    let entry = volume.entry("name")?;
    let name = entry.value.as_str()?;
    if name.is_empty() {
        return Some((
            value_range(entry),
            "volume name is empty; give the volume a name".to_owned(),
        ));
    }
    let reason = formats::dns1123_label(name).err()?;
    Some((
        value_range(entry),
        format!("volume name `{name}` is not a valid DNS-1123 label: {reason}"),
    ))
}
