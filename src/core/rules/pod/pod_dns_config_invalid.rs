//! `pod-dns-config-invalid`: a `dnsConfig` the API server rejects, or `dnsPolicy: None`
//! without one.

use std::net::Ipv6Addr;

use super::util::first_key;
use crate::core::formats::dns1123_subdomain;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::schema::KubeVersion;
use crate::core::yaml::Node;

const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;
const MAX_SEARCH_CHARS: usize = 2048;

declare_rule! {
    /// ## What it flags
    /// - `dnsPolicy: None` without a `dnsConfig`, or with a `dnsConfig` that lists no
    ///   nameserver;
    /// - more than 3 `nameservers`, or one that is not an IP address;
    /// - more than 32 `searches`, more than 2048 characters in them (counting a space between
    ///   each), or a search domain that is not a DNS subdomain (a trailing `.` is allowed;
    ///   from Kubernetes 1.33 `_` is allowed too, and `.` alone);
    /// - an `options` entry without a `name`.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.dnsConfig...: Required value` or `Invalid
    /// value`). The limits come from the C library's resolver.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   dnsPolicy: None
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   dnsPolicy: None
    ///   dnsConfig:
    ///     nameservers: ["10.0.0.10"]
    ///     searches: ["svc.cluster.local."]
    ///     options:
    ///       - name: ndots
    ///         value: "2"
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodDnsConfigInvalid {
        id: "pod-dns-config-invalid",
        severity: Error,
    }
}

impl Rule for PodDnsConfigInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let config_entry = spec
            .node
            .entry("dnsConfig")
            .filter(|it| !it.value.is_null());
        if let Some(policy) = spec.node.entry("dnsPolicy")
            && policy.value.as_str() == Some("None")
        {
            let Some(entry) = config_entry else {
                sink.report(
                    &Self::META,
                    value_range(policy),
                    "`dnsPolicy: None` needs a `dnsConfig` with at least one nameserver",
                );
                return;
            };
            if entry.value.entries().is_some() {
                let nameservers = entry.value.entry("nameservers");
                let none = nameservers.is_none_or(|it| {
                    it.value.is_null() || it.value.items().is_some_and(<[_]>::is_empty)
                });
                if none {
                    let range = nameservers.map_or(entry.key.range, |it| it.key.range);
                    sink.report(
                        &Self::META,
                        range,
                        "`dnsPolicy: None` needs at least one DNS nameserver in `dnsConfig.nameservers`",
                    );
                    // The server stops here too.
                    return;
                }
            }
        }
        let Some(config) = config_entry
            .map(|it| &it.value)
            .filter(|it| it.entries().is_some())
        else {
            return;
        };
        check_nameservers(config, sink);
        check_searches(config, ctx.version >= KubeVersion::new(33), sink);
        check_options(config, sink);
    }
}

fn check_options(config: &Node, sink: &mut Sink<'_>) {
    let Some(options) = config.get("options").and_then(Node::items) else {
        return;
    };
    for option in options.iter().filter(|it| it.entries().is_some()) {
        let name = option.entry("name");
        // A name of the wrong type is the schema pass's to report.
        if name.is_some_and(|it| it.value.as_str().is_none() && !it.value.is_null()) {
            continue;
        }
        if name
            .and_then(|it| it.value.as_str())
            .is_none_or(str::is_empty)
        {
            let range = name.map_or_else(|| first_key(option), value_range);
            sink.report(
                &PodDnsConfigInvalid::META,
                range,
                "every DNS option needs a `name`",
            );
        }
    }
}

fn check_nameservers(config: &Node, sink: &mut Sink<'_>) {
    let Some(entry) = config.entry("nameservers") else {
        return;
    };
    let Some(items) = entry.value.items() else {
        return;
    };
    if items.len() > MAX_NAMESERVERS {
        sink.report(
            &PodDnsConfigInvalid::META,
            entry.key.range,
            format!(
                "{} nameservers are too many: at most {MAX_NAMESERVERS} are allowed",
                items.len()
            ),
        );
    }
    for item in items {
        if let Some(address) = item.as_str()
            && !is_ip(address)
        {
            sink.report(
                &PodDnsConfigInvalid::META,
                item.range,
                format!("nameserver `{address}` is not a valid IP address"),
            );
        }
    }
}

fn check_searches(config: &Node, relaxed: bool, sink: &mut Sink<'_>) {
    let Some(entry) = config.entry("searches") else {
        return;
    };
    let Some(items) = entry.value.items() else {
        return;
    };
    if items.len() > MAX_SEARCHES {
        sink.report(
            &PodDnsConfigInvalid::META,
            entry.key.range,
            format!(
                "{} search domains are too many: at most {MAX_SEARCHES} are allowed",
                items.len()
            ),
        );
    }
    let domains: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
    let total = domains.iter().map(|it| it.len()).sum::<usize>() + domains.len().saturating_sub(1);
    if domains.len() == items.len() && total > MAX_SEARCH_CHARS {
        sink.report(
            &PodDnsConfigInvalid::META,
            entry.key.range,
            format!(
                "the search list has {total} characters (counting a space between domains): at most {MAX_SEARCH_CHARS} are allowed"
            ),
        );
    }
    for item in items {
        let Some(domain) = item.as_str() else {
            continue;
        };
        let result = if relaxed {
            if domain == "." {
                Ok(())
            } else {
                subdomain_with_underscore(domain.strip_suffix('.').unwrap_or(domain))
            }
        } else {
            dns1123_subdomain(domain.strip_suffix('.').unwrap_or(domain))
        };
        if let Err(reason) = result {
            sink.report(
                &PodDnsConfigInvalid::META,
                item.range,
                format!("search domain `{domain}` is not a valid DNS subdomain: {reason}"),
            );
        }
    }
}

/// A DNS-1123 subdomain in which `_` counts as a letter (`IsDNS1123SubdomainWithUnderscore`).
fn subdomain_with_underscore(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if value.len() > 253 {
        return Err(format!(
            "must be no more than 253 characters (it has {})",
            value.len()
        ));
    }
    let part_ok = |part: &str| {
        let bytes = part.as_bytes();
        let edge = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
        !bytes.is_empty()
            && edge(bytes[0])
            && edge(bytes[bytes.len() - 1])
            && bytes.iter().all(|b| edge(*b) || *b == b'-')
    };
    if value.split('.').all(part_ok) {
        Ok(())
    } else {
        Err("must consist of lower case letters, digits, '-', '_' and '.', and start and end with a letter, digit or '_'".to_owned())
    }
}

/// Whether the API server reads `value` as an IP address. IPv4 parts may have leading zeros,
/// as in Go's lenient `ParseIPSloppy`.
fn is_ip(value: &str) -> bool {
    if value.contains(':') {
        return value.parse::<Ipv6Addr>().is_ok();
    }
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.len() <= 3
                && part.bytes().all(|b| b.is_ascii_digit())
                && part.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses() {
        assert!(is_ip("10.0.0.10"));
        assert!(is_ip("010.000.000.010"));
        assert!(is_ip("2001:db8::1"));
        assert!(is_ip("::ffff:10.0.0.1"));
        assert!(!is_ip("10.0.0"));
        assert!(!is_ip("10.0.0.256"));
        assert!(!is_ip("dns.example.com"));
        assert!(!is_ip("fe80::1%eth0"));
    }

    fn count(text: &str, minor: u32) -> usize {
        crate::core::rules::testing::diagnostics(text, minor)
            .iter()
            .filter(|it| it.code == "pod-dns-config-invalid")
            .count()
    }

    #[test]
    fn underscores_are_allowed_from_1_33() {
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  dnsConfig:
    searches: [_tcp.example.com, .]
  containers:
    - name: web
      image: nginx:1.27
";
        assert_eq!(count(pod, 32), 2);
        assert_eq!(count(pod, 33), 0);
    }

    #[test]
    fn search_domains() {
        assert!(subdomain_with_underscore("_tcp.example.com").is_ok());
        assert!(subdomain_with_underscore("Example.com").is_err());
        assert!(subdomain_with_underscore("a..b").is_err());
    }
}
