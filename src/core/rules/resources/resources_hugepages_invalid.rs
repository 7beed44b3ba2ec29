//! `resources-hugepages-invalid`: huge pages without cpu or memory, or not a whole number of
//! pages.

use super::util::{Item, container_resources, integer_value, is_hugepages, is_whole_milli};
use crate::core::formats::Quantity;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A container asking for huge pages (`hugepages-<size>` in `requests` or `limits`):
    ///
    /// - without any `cpu` or `memory` request or limit (reported on `resources`);
    /// - with an amount that is not a whole multiple of the page size (`hugepages-2Mi: 3Mi`),
    ///   or a `<size>` that is not a positive whole quantity (`hugepages-big`).
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `resources: Forbidden: HugePages require cpu or memory`
    /// or `resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer
    /// multiple of hugepages-2Mi`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       resources:
    ///         limits:
    ///           memory: 1Gi
    ///           hugepages-2Mi: 3Mi
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       resources:
    ///         limits:
    ///           memory: 1Gi
    ///           hugepages-2Mi: 100Mi
    /// ```
    pub(crate) ResourcesHugepagesInvalid {
        id: "resources-hugepages-invalid",
        severity: Error,
    }
}

impl Rule for ResourcesHugepagesInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for resources in container_resources(&spec) {
            let items = || resources.requests.iter().chain(&resources.limits);
            if !items().any(|it| is_hugepages(&it.name)) {
                continue;
            }
            if !items().any(|it| it.name == "cpu" || it.name == "memory") {
                sink.report(
                    &Self::META,
                    resources.entry.key.range,
                    "huge pages need a `cpu` or `memory` request or limit in the same container",
                );
            }
            for item in items().filter(|it| is_hugepages(&it.name)) {
                check_multiple(item, sink);
            }
        }
    }
}

fn check_multiple(item: &Item<'_>, sink: &mut Sink<'_>) {
    let name = &item.name;
    let size_text = name.trim_start_matches("hugepages-");
    let page = Quantity::parse(size_text)
        .ok()
        .filter(|it| !it.is_negative() && !it.is_zero() && is_whole_milli(*it))
        .and_then(integer_value);
    let Some(page) = page.filter(|it| *it > 0) else {
        sink.report(
            &ResourcesHugepagesInvalid::META,
            item.entry.key.range,
            format!("`{name}` does not name a page size: write it as `hugepages-<size>`, e.g. `hugepages-2Mi` or `hugepages-1Gi`"),
        );
        return;
    };
    let Some(amount) = item.parsed().and_then(integer_value) else {
        return;
    };
    if amount % page != 0 {
        sink.report(
            &ResourcesHugepagesInvalid::META,
            value_range(item.entry),
            format!(
                "`{}` is not a whole number of {size_text} pages for `{name}`",
                item.text()
            ),
        );
    }
}
