//! Running the Python peers: a script under `scripts/peers/` run by the Python of the
//! `.venv-peers` virtual environment (`bash scripts/setup-peers.sh`), inputs on stdin, answers
//! on stdout, timings reported on stderr.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::train_ner::repo_root;

/// The virtual environment's Python, when it has been made.
pub fn python() -> Option<PathBuf> {
    let python = repo_root().join(".venv-peers/bin/python");
    python.exists().then_some(python)
}

/// What a peer that exited successfully printed.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The number the peer reported on a stderr line `<key><number>` (e.g. `detect_seconds=`).
    pub fn reported(&self, key: &str) -> Option<f64> {
        self.stderr
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|s| s.trim().parse::<f64>().ok())
    }
}

/// Runs `scripts/peers/<script> <args>` with `input` on stdin; `label` names the peer in the
/// error when it exits unsuccessfully.
pub fn run(
    python: &Path,
    script: &str,
    args: &[&str],
    input: String,
    label: &str,
) -> anyhow::Result<Output> {
    let script = repo_root().join("scripts/peers").join(script);
    let mut child = Command::new(python)
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {} {}", python.display(), script.display()))?;
    let mut stdin = child.stdin.take().context("peer stdin")?;
    // Written from another thread so that a peer answering as it reads cannot block us.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .context("peer stdout")?
        .read_to_string(&mut stdout)?;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .context("peer stderr")?
        .read_to_string(&mut stderr)?;
    let status = child.wait()?;
    let written = writer
        .join()
        .map_err(|_| anyhow::anyhow!("peer writer thread panicked"))?;
    if !status.success() {
        bail!("{label} failed ({status}): {}", stderr.trim());
    }
    written.context("writing to the peer")?;
    Ok(Output { stdout, stderr })
}
