//! `cargo bench`: how fast `kls lint` checks the real-world corpus and a 1 MB stream of 1,000
//! documents, and how much memory it peaks at. Times are wall-clock medians; the machine is
//! shared, so compare runs made under similar load.

#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kls::cli::lint_paths;
use kls::core::analysis;
use kls::core::schema::SchemaStore;
use kls::core::settings::Settings;

const RUNS: usize = 15;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|it| it.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let settings = Settings::default();
    let corpus =
        std::env::var_os("KLS_CORPUS").map_or_else(|| shared().join("corpus"), PathBuf::from);
    if corpus.is_dir() {
        let paths = [corpus.display().to_string()];
        let mut samples = Vec::new();
        let mut documents = 0;
        for _ in 0..RUNS {
            // A fresh store each run: schemas are decompressed and compiled as in a new process.
            let store = SchemaStore::bundled();
            let start = Instant::now();
            let outcome = lint_paths(&paths, &[], "<stdin>", &store, &settings);
            samples.push(start.elapsed());
            documents = outcome.files.len();
        }
        let bytes: u64 = walk_size(&corpus);
        let time = median(samples);
        println!(
            "corpus: {documents} files, {:.2} MB, median {:.1} ms ({:.1} MB/s), cold schemas included",
            bytes as f64 / 1e6,
            time.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / time.as_secs_f64()
        );
    } else {
        println!("corpus: not found at {} (set KLS_CORPUS)", corpus.display());
    }
    let large = shared().join("bench/bench-inputs/large-multi.yaml");
    if let Ok(text) = std::fs::read_to_string(&large) {
        let store = SchemaStore::bundled();
        let warm = analysis::check(&text, &store, &settings);
        let mut one_thread = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let diagnostics = analysis::check(&text, &store, &settings);
            one_thread.push(start.elapsed());
            assert_eq!(diagnostics.len(), warm.len());
        }
        // What `kls lint` does with the file: its documents checked on every core.
        let path = [large.display().to_string()];
        let mut all_threads = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let outcome = lint_paths(&path, &[], "<stdin>", &store, &settings);
            all_threads.push(start.elapsed());
            assert_eq!(outcome.files[0].diagnostics.len(), warm.len());
        }
        let mb = text.len() as f64 / 1e6;
        let (one, all) = (median(one_thread), median(all_threads));
        println!(
            "large-multi.yaml: {mb:.2} MB, {} diagnostics; warm schemas: one thread {:.1} ms ({:.1} MB/s), kls lint {:.1} ms ({:.1} MB/s, {} threads)",
            warm.len(),
            one.as_secs_f64() * 1e3,
            mb / one.as_secs_f64(),
            all.as_secs_f64() * 1e3,
            mb / all.as_secs_f64(),
            rayon::current_num_threads()
        );
    } else {
        println!("large-multi.yaml: not found at {}", large.display());
    }
    if let Some(peak) = peak_rss_mb() {
        println!("peak memory (VmHWM) of this process: {peak:.1} MB");
    }
}

fn walk_size(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                total += walk_size(&path);
            } else if path
                .extension()
                .is_some_and(|it| it == "yaml" || it == "yml")
            {
                total += entry.metadata().map_or(0, |it| it.len());
            }
        }
    }
    total
}
