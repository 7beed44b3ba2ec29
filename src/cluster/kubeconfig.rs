//! Which cluster: the kubeconfig file, the context and the namespace, and a client for them.
//!
//! - The file: the `kubeconfig` setting, else `KUBECONFIG` (several files, merged as kubectl
//!   merges them: the first file that sets a value wins), else `~/.kube/config`.
//! - The context: the `context` setting, else the file's `current-context`.
//! - The namespace: the document's, else the context's, else `default`.
//!
//! Exec credential plugins (EKS, GKE, AKS, OIDC) run with `interactiveMode: Never`, whatever
//! the file says: kube-client hands an interactive plugin our stdin (kube-client 5,
//! `client/auth/mod.rs`, `auth_exec`), and in `kls lsp` stdin is the protocol stream. A plugin
//! that needs a terminal fails with its own message instead of reading the editor's messages.
//!
//! Nothing here logs a token, a certificate or a plugin's output: errors are described in
//! words of our own (see [`describe`]).

use std::path::Path;
use std::time::Duration;

use kube::config::{ExecInteractiveMode, KubeConfigOptions, Kubeconfig};

use super::{ClusterError, ClusterSettings, Outcome, Target};

/// How long connecting and the first answer may take before the cluster counts as unreachable.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(4);
/// How long any later request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Words every "cannot reach the cluster" message holds.
pub const UNREACHABLE: &str = "cannot reach the cluster";

/// A client for one context, checked to answer.
pub struct Session {
    /// The client (cheap to clone).
    pub client: kube::Client,
    /// Context and default namespace.
    pub target: Target,
    /// The API server's address, for messages.
    pub url: String,
}

/// Reads the kubeconfig the settings name.
pub fn load(settings: &ClusterSettings) -> Result<Kubeconfig, ClusterError> {
    let config = match &settings.kubeconfig {
        Some(path) => read_file(path)?,
        None => Kubeconfig::read().map_err(|error| {
            ClusterError(format!(
                "cannot read the kubeconfig (KUBECONFIG, else ~/.kube/config): {}",
                config_error(&error)
            ))
        })?,
    };
    Ok(never_interactive(config))
}

fn read_file(path: &Path) -> Result<Kubeconfig, ClusterError> {
    Kubeconfig::read_from(path).map_err(|error| {
        ClusterError(format!(
            "cannot read the kubeconfig {}: {}",
            path.display(),
            config_error(&error)
        ))
    })
}

/// The kubeconfig with every exec plugin set to `interactiveMode: Never`.
#[must_use]
pub fn never_interactive(mut config: Kubeconfig) -> Kubeconfig {
    for user in &mut config.auth_infos {
        if let Some(exec) = user.auth_info.as_mut().and_then(|it| it.exec.as_mut()) {
            exec.interactive_mode = Some(ExecInteractiveMode::Never);
        }
    }
    config
}

/// The context the settings choose: the setting, else the current context.
fn context_name(settings: &ClusterSettings, config: &Kubeconfig) -> Result<String, ClusterError> {
    let name = settings
        .context
        .clone()
        .or_else(|| config.current_context.clone())
        .filter(|it| !it.is_empty())
        .ok_or_else(|| {
            ClusterError(
                "the kubeconfig has no current context; choose one with the `context` setting"
                    .to_owned(),
            )
        })?;
    if config.contexts.iter().any(|it| it.name == name) {
        Ok(name)
    } else {
        Err(ClusterError(format!(
            "there is no context `{name}` in the kubeconfig (it has: {})",
            config
                .contexts
                .iter()
                .map(|it| it.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}

/// Builds a client for the settings and checks that the API server answers within
/// [`PROBE_TIMEOUT`] (a refused port and a server that never answers both fail in time).
pub async fn connect(settings: &ClusterSettings) -> Result<Session, ClusterError> {
    let config = load(settings)?;
    let context = context_name(settings, &config)?;
    let options = KubeConfigOptions {
        context: Some(context.clone()),
        ..KubeConfigOptions::default()
    };
    let mut client_config = kube::Config::from_custom_kubeconfig(config, &options)
        .await
        .map_err(|error| {
            ClusterError(format!(
                "cannot use context `{context}`: {}",
                config_error(&error)
            ))
        })?;
    client_config.connect_timeout = Some(PROBE_TIMEOUT);
    let url = client_config.cluster_url.to_string();
    let namespace = client_config.default_namespace.clone();
    let client = kube::Client::try_from(client_config).map_err(|error| {
        ClusterError(format!(
            "cannot make a client for context `{context}`: {}",
            describe(&error)
        ))
    })?;
    match tokio::time::timeout(PROBE_TIMEOUT, client.apiserver_version()).await {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => {
            return Err(ClusterError(match &error {
                kube::Error::Api(_) | kube::Error::Auth(_) => format!(
                    "the cluster of context `{context}` at {url} refused kls: {}",
                    describe(&error)
                ),
                _ => format!(
                    "{UNREACHABLE} of context `{context}` at {url}: {}",
                    describe(&error)
                ),
            }));
        }
        Err(_) => {
            return Err(ClusterError(format!(
                "{UNREACHABLE} of context `{context}` at {url}: no answer within {} s",
                PROBE_TIMEOUT.as_secs()
            )));
        }
    }
    Ok(Session {
        client,
        target: Target { context, namespace },
        url,
    })
}

/// The context and namespace the settings choose, read from the kubeconfig alone (no
/// network): what lens and action titles name before anything was sent.
pub fn target(settings: &ClusterSettings) -> Result<Target, ClusterError> {
    target_in(settings, &load(settings)?)
}

fn target_in(settings: &ClusterSettings, config: &Kubeconfig) -> Result<Target, ClusterError> {
    let context = context_name(settings, config)?;
    let namespace = config
        .contexts
        .iter()
        .find(|it| it.name == context)
        .and_then(|it| it.context.as_ref())
        .and_then(|it| it.namespace.clone())
        .filter(|it| !it.is_empty())
        .unwrap_or_else(|| "default".to_owned());
    Ok(Target { context, namespace })
}

/// The contexts of the kubeconfig.
pub fn contexts(settings: &ClusterSettings) -> Result<Outcome, ClusterError> {
    let config = load(settings)?;
    Ok(Outcome::Contexts {
        current: config.current_context.clone(),
        names: config.contexts.iter().map(|it| it.name.clone()).collect(),
    })
}

/// A kubeconfig error in words. kube's own messages name files and fields, not secrets.
fn config_error(error: &kube::config::KubeconfigError) -> String {
    error.to_string()
}

/// A client error in words that never hold a token, a certificate or a plugin's output (the
/// kube error for a failed plugin prints all it wrote).
#[must_use]
pub fn describe(error: &kube::Error) -> String {
    use kube::client::AuthError;
    match error {
        kube::Error::Api(status) => {
            if status.message.is_empty() {
                format!("{} ({})", status.reason, status.code)
            } else {
                status.message.clone()
            }
        }
        kube::Error::Auth(auth) => match auth {
            AuthError::AuthExecRun { out, .. } => format!(
                "the exec credential plugin failed ({}); run it in a terminal to see why",
                out.status
            ),
            AuthError::AuthExecStart(io) => {
                format!("the exec credential plugin could not be started: {io}")
            }
            AuthError::AuthExecParse(_) | AuthError::AuthExec(_) => {
                "the exec credential plugin gave no usable credential".to_owned()
            }
            AuthError::MissingCommand => {
                "the kubeconfig's exec credential plugin names no command".to_owned()
            }
            _ => "the credentials of the kubeconfig could not be used".to_owned(),
        },
        kube::Error::HyperError(error) => root_cause(error),
        kube::Error::Service(error) => root_cause(error.as_ref()),
        kube::Error::UpgradeConnection(error) => format!("the connection upgrade failed: {error}"),
        other => root_cause(other),
    }
}

/// The innermost message of an error chain ("Connection refused (os error 111)").
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: c
    cluster:
      server: http://127.0.0.1:1
contexts:
  - name: dev
    context:
      cluster: c
      user: u
  - name: prod
    context:
      cluster: c
      user: u
      namespace: shop
users:
  - name: u
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: get-token
        interactiveMode: Always
";

    #[test]
    fn every_exec_plugin_is_made_non_interactive() {
        let config = never_interactive(Kubeconfig::from_yaml(CONFIG).expect("a kubeconfig"));
        let exec = config.auth_infos[0]
            .auth_info
            .as_ref()
            .and_then(|it| it.exec.as_ref())
            .expect("an exec plugin");
        assert_eq!(exec.interactive_mode, Some(ExecInteractiveMode::Never));
    }

    #[test]
    fn the_context_is_the_setting_else_the_current_one() {
        let config = Kubeconfig::from_yaml(CONFIG).expect("a kubeconfig");
        let mut settings = ClusterSettings::default();
        assert_eq!(context_name(&settings, &config), Ok("dev".to_owned()));
        settings.context = Some("prod".to_owned());
        assert_eq!(context_name(&settings, &config), Ok("prod".to_owned()));
        assert_eq!(
            target_in(&settings, &config).map(|it| it.namespace),
            Ok("shop".to_owned())
        );
        settings.context = None;
        assert_eq!(
            target_in(&settings, &config).map(|it| it.namespace),
            Ok("default".to_owned())
        );
        settings.context = Some("staging".to_owned());
        let error = context_name(&settings, &config).expect_err("no such context");
        assert!(error.0.contains("dev, prod"), "{error}");
    }
}
