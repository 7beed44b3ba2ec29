//! `container-port-duplicate`: the same container port declared twice in a pod.

use std::collections::HashMap;

use super::util::{Port, describe, host_network_pod, ports};
use crate::core::diagnostic::Related;
use crate::core::manifest::{ContainerKind, value_range};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;

declare_rule! {
    /// ## What it flags
    /// A `containerPort` and `protocol` pair declared twice in one pod (in the same container or
    /// in two), when the two declarations bind the same host address, or one of them binds none,
    /// or they bind the same `hostPort` with and without a `hostIP`. Declarations that bind the
    /// same host port are left to `container-host-port-conflict`, an error.
    ///
    /// ## Why it matters
    /// The API server accepts the pod with a warning (`duplicate port definition`,
    /// `overlapping port definition`). The second declaration adds nothing, and `kubectl apply`
    /// merges `ports` by `containerPort`, so one of the two may be lost on the next apply.
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
    ///       ports:
    ///         - name: http
    ///           containerPort: 8080
    ///         - name: metrics
    ///           containerPort: 8080
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: dns
    /// spec:
    ///   containers:
    ///     - name: dns
    ///       image: coredns/coredns:1.11.3
    ///       ports:
    ///         - containerPort: 53
    ///           protocol: UDP
    ///         - containerPort: 53
    ///           protocol: TCP
    /// ```
    pub(crate) ContainerPortDuplicate {
        id: "container-port-duplicate",
        severity: Warning,
    }
}

impl Rule for ContainerPortDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let host_network = host_network_pod(&spec);
        let mut all: Vec<Declared<'_>> = ports(&spec.containers())
            .into_iter()
            .filter_map(|port| Declared::new(port, host_network))
            .collect();
        // The API server walks init, regular, then ephemeral containers; a duplicate is shown on
        // the declaration that comes later in the file.
        all.sort_by_key(|it| it.range.start);
        let mut seen = Seen::default();
        for (index, later) in all.iter().enumerate() {
            let found = seen.first_overlap(&all, later);
            seen.insert(index, later);
            let Some((earlier, how)) = found else {
                continue;
            };
            let whose = if std::ptr::eq(earlier.port.container.node, later.port.container.node) {
                "this container".to_owned()
            } else {
                describe(&earlier.port.container)
            };
            let message = format!(
                "port {}/{} is declared twice ({how}, also in {whose}); remove one of the declarations",
                later.container_port, later.protocol
            );
            if let Some(diagnostic) = sink.report(&Self::META, later.range, message) {
                diagnostic.related.push(Related {
                    range: earlier.range,
                    message: format!(
                        "port {}/{} first declared here",
                        earlier.container_port, earlier.protocol
                    ),
                });
            }
        }
    }
}

/// A port with the values the comparison needs, after defaulting.
struct Declared<'a> {
    port: Port<'a>,
    range: TextRange,
    container_port: i64,
    protocol: &'a str,
    host_ip: &'a str,
    host_port: i64,
}

impl<'a> Declared<'a> {
    fn new(port: Port<'a>, host_network: bool) -> Option<Self> {
        let container_port = port
            .container_port()
            .filter(|it| (1..=65535).contains(it))?;
        let range = value_range(port.node.entry("containerPort")?);
        Some(Self {
            port,
            range,
            container_port,
            protocol: port.protocol()?,
            host_ip: port.host_ip()?,
            host_port: port.host_port(host_network)?,
        })
    }
}

/// The declarations seen so far, indexed so that finding the first one a later declaration
/// overlaps looks only at declarations that can overlap it: linear in the ports of the pod,
/// not quadratic, when hundreds declare the same port.
#[derive(Default)]
struct Seen<'a> {
    /// Per (containerPort, protocol): the first declaration, and the first that binds no host port.
    first: HashMap<(i64, &'a str), (usize, Option<usize>)>,
    /// Per (containerPort, protocol, hostPort) with a host port: the declarations, in order.
    by_host_port: HashMap<(i64, &'a str, i64), Vec<usize>>,
}

impl<'a> Seen<'a> {
    /// The earliest declaration before `later` that overlaps it, and how, as a scan of every
    /// earlier declaration in order would find it.
    fn first_overlap<'b>(
        &self,
        all: &'b [Declared<'a>],
        later: &Declared<'a>,
    ) -> Option<(&'b Declared<'a>, &'static str)> {
        let &(first, first_unbound) = self.first.get(&(later.container_port, later.protocol))?;
        // A declaration that binds no host port overlaps every other of the same port.
        let mut best = if later.host_port == 0 {
            Some(first)
        } else {
            first_unbound
        };
        if later.host_port != 0
            && let Some(same) =
                self.by_host_port
                    .get(&(later.container_port, later.protocol, later.host_port))
            && let Some(&index) = same
                .iter()
                .take_while(|&&it| best.is_none_or(|best| it < best))
                .find(|&&it| overlap(&all[it], later).is_some())
        {
            best = Some(index);
        }
        let earlier = &all[best?];
        overlap(earlier, later).map(|how| (earlier, how))
    }

    fn insert(&mut self, index: usize, declared: &Declared<'a>) {
        let unbound = (declared.host_port == 0).then_some(index);
        self.first
            .entry((declared.container_port, declared.protocol))
            .and_modify(|(_, first_unbound)| {
                *first_unbound = first_unbound.or(unbound);
            })
            .or_insert((index, unbound));
        if declared.host_port != 0 {
            self.by_host_port
                .entry((
                    declared.container_port,
                    declared.protocol,
                    declared.host_port,
                ))
                .or_default()
                .push(index);
        }
    }
}

/// How two declarations of ports overlap, as the API server's warning words it.
fn overlap(earlier: &Declared<'_>, later: &Declared<'_>) -> Option<&'static str> {
    if earlier.container_port != later.container_port || earlier.protocol != later.protocol {
        return None;
    }
    if earlier.host_ip == later.host_ip && earlier.host_port == later.host_port {
        // The same non-zero host binding in one conflict group is an error of its own.
        if later.host_port != 0 && same_conflict_group(earlier, later) {
            return None;
        }
        return Some("duplicate definition");
    }
    if earlier.host_port == 0 || later.host_port == 0 {
        return Some("overlapping definition");
    }
    if earlier.host_port == later.host_port
        && (earlier.host_ip.is_empty() != later.host_ip.is_empty())
    {
        return Some("ambiguous host binding");
    }
    None
}

fn same_conflict_group(a: &Declared<'_>, b: &Declared<'_>) -> bool {
    let (a, b) = (&a.port.container, &b.port.container);
    match (a.kind, b.kind) {
        (ContainerKind::Regular, ContainerKind::Regular) => true,
        (ContainerKind::Init, ContainerKind::Init) => a.index == b.index,
        _ => false,
    }
}
