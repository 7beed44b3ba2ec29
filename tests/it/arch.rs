//! Architecture checks: the core does no IO and knows nothing of the shells; every source file
//! says what it is for.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source tree") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|it| it == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_imports_no_shell_and_does_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/core"), &mut files);
    assert!(!files.is_empty());
    let forbidden = [
        "crate::lsp",
        "crate::cli",
        "crate::cluster",
        "kube::",
        "k8s_openapi",
        "similar::",
        "crate::config",
        "std::fs",
        // Parsing an IP address is pure; sockets are not.
        "std::net::Tcp",
        "std::net::Udp",
        "std::process",
        "std::thread",
        "lsp_types",
        "lsp_server",
        "tokio",
        "clap",
        "rayon",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable file");
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses `{word}`; the core must stay free of IO and shells",
                file.display()
            );
        }
    }
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable file");
        assert!(
            text.starts_with("//!"),
            "{} does not start with a `//!` line saying what it is for",
            file.display()
        );
    }
}
