//! The embedded default: one local backend per user, started on first use and shared by every
//! kernel and command of that user.
//!
//! The backend (`collm backend embedded`) and this client agree on one folder, [`Home`]: the
//! SQLite database, the job outputs, the server's address (`server.json`, written once it
//! listens) and the local user's token (`local-token`, mode 0600). Starting is serialised by a
//! lock on `lock`, so two kernels opened at once share one backend instead of racing to start
//! two.

use crate::http::Client;
use crate::token::Token;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a backend may take from spawn to answering `/healthz`.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The embedded backend's folder and the names of what it keeps there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home(PathBuf);

/// What a running embedded backend writes to `server.json` once it listens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerState {
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its process id, for `collm backend stop`.
    pub pid: u32,
}

impl Home {
    /// `$COLLM_BACKEND_HOME`, else the user data directory's `collm/backend`
    /// (`$XDG_DATA_HOME/collm/backend`, by default `~/.local/share/collm/backend`).
    pub fn default_location() -> Home {
        if let Some(dir) = std::env::var_os("COLLM_BACKEND_HOME").filter(|v| !v.is_empty()) {
            return Home(PathBuf::from(dir));
        }
        let data = dirs::data_dir().unwrap_or_else(|| PathBuf::from("."));
        Home(data.join("collm/backend"))
    }

    /// A home at an explicit folder.
    pub fn at(dir: impl Into<PathBuf>) -> Home {
        Home(dir.into())
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.0
    }

    /// The SQLite database URL.
    pub fn db_url(&self) -> String {
        format!("sqlite:{}", self.0.join("colliderml.db").display())
    }

    /// Where job outputs go, one folder per request.
    pub fn outputs(&self) -> PathBuf {
        self.0.join("outputs")
    }

    /// The running server's address and pid.
    pub fn state_file(&self) -> PathBuf {
        self.0.join("server.json")
    }

    /// The local user's token (0600).
    pub fn token_file(&self) -> PathBuf {
        self.0.join("local-token")
    }

    /// The server's log (its stdout and stderr).
    pub fn log_file(&self) -> PathBuf {
        self.0.join("backend.log")
    }

    /// The running server, if `server.json` names one.
    pub fn server(&self) -> Option<ServerState> {
        let text = std::fs::read_to_string(self.state_file()).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Records the running server (written whole, then renamed, so a reader never sees half).
    pub fn write_server(&self, state: &ServerState) -> std::io::Result<()> {
        let tmp = self.state_file().with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_string(state)?)?;
        std::fs::rename(tmp, self.state_file())
    }

    /// Creates the folder, readable by its owner only (it holds a token).
    pub fn create(&self) -> std::io::Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.0)
    }

    fn lock(&self) -> std::io::Result<File> {
        self.create()?;
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.0.join("lock"))?;
        f.lock()?;
        Ok(f)
    }
}

/// How to run the backend's command line: the program and the words before a subcommand
/// (`collm backend …`, or `collm-backend …`).
#[derive(Debug, Clone)]
pub struct Launcher {
    /// The executable.
    pub program: PathBuf,
    /// Words before the subcommand.
    pub prefix: Vec<String>,
}

impl Launcher {
    /// `collm backend` through the running executable (the kernel and the `collm` CLI).
    pub fn this_collm() -> std::io::Result<Launcher> {
        Ok(Launcher {
            program: std::env::current_exe()?,
            prefix: vec!["backend".into()],
        })
    }
}

/// Why the embedded backend could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A file of the home could not be used.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The backend did not come up.
    #[error("the local ColliderML backend did not start: {0}")]
    NotStarted(String),
    /// The backend did not stop when asked.
    #[error("the local ColliderML backend did not stop: {0}")]
    NotStopped(String),
}

fn io_at(path: &Path) -> impl FnOnce(std::io::Error) -> StartError + '_ {
    move |source| StartError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether a server answers `/healthz` at `url` within a second.
fn healthy(url: &str) -> bool {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .ok()
        .and_then(|c| c.get(format!("{url}/healthz")).send().ok())
        .is_some_and(|r| r.status().is_success())
}

/// A client of the user's embedded backend, starting it if none is running. `notify` is told
/// when a backend is being started (the first use takes a moment). The client sends the local
/// token only to a server that proves it is this home's backend ([`crate::proof`]); one that
/// cannot (another program on the recorded port) is left alone and a new backend started.
pub fn connect(
    home: &Home,
    launcher: &Launcher,
    notify: &mut dyn FnMut(&str),
) -> Result<Client, StartError> {
    let lock_path = home.dir().join("lock");
    let _lock = home.lock().map_err(io_at(&lock_path))?;
    match home.server().filter(|s| healthy(&s.url)) {
        Some(s) => match client_for(home, &s) {
            Ok(c) if c.prove().is_ok() => return Ok(c),
            _ => notify(&format!(
                "The server at {} did not prove it is the local ColliderML backend of {}; starting a new one …",
                s.url,
                home.dir().display()
            )),
        },
        None => notify(&format!(
            "Starting the local ColliderML backend in {} …",
            home.dir().display()
        )),
    }
    let state = start(home, launcher)?;
    let client = client_for(home, &state)?;
    client
        .prove()
        .map_err(|e| StartError::NotStarted(e.to_string()))?;
    Ok(client)
}

/// A client of the backend `state` names, with the home's local token, guarded by its pid.
fn client_for(home: &Home, state: &ServerState) -> Result<Client, StartError> {
    let token_path = home.token_file();
    let text = std::fs::read_to_string(&token_path).map_err(io_at(&token_path))?;
    let token = Token::new(&text)
        .ok_or_else(|| StartError::NotStarted(format!("{} is empty", token_path.display())))?;
    Ok(Client::with_token(&state.url, Some(token)).guarded(state.pid))
}

/// Spawns `… embedded --home HOME` detached (its own process group, output to the log, so it
/// outlives the kernel and a Ctrl-C in a terminal), then waits until it answers.
fn start(home: &Home, launcher: &Launcher) -> Result<ServerState, StartError> {
    let state_path = home.state_file();
    match std::fs::remove_file(&state_path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_at(&state_path)(e)),
    }
    let log_path = home.log_file();
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(io_at(&log_path))?;
    let log2 = log.try_clone().map_err(io_at(&log_path))?;
    let mut child = {
        use std::os::unix::process::CommandExt;
        Command::new(&launcher.program)
            .args(&launcher.prefix)
            .arg("embedded")
            .arg("--home")
            .arg(home.dir())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .process_group(0)
            .spawn()
            .map_err(io_at(&launcher.program))?
    };
    let began = Instant::now();
    loop {
        if let Some(s) = home.server().filter(|s| healthy(&s.url)) {
            // Reap it when it ends, so it never lingers as a zombie of a long-lived kernel.
            std::thread::spawn(move || child.wait());
            return Ok(s);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(StartError::NotStarted(format!(
                "it exited with {status}; the end of {}:\n{}",
                log_path.display(),
                tail(&log_path, 10)
            )));
        }
        if began.elapsed() > START_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(StartError::NotStarted(format!(
                "no answer after {} s; see {}",
                START_TIMEOUT.as_secs(),
                log_path.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Stops the embedded backend of `home` (SIGTERM, then waits up to 10 s). `Ok(false)` if none
/// was running. The pid in `server.json` is signalled only once it is known to be this home's
/// backend: the server at the recorded address proves it (see [`crate::proof`]), or, if it
/// does not answer (hung), the process's command line is `… embedded --home HOME`. A pid the
/// system gave to another program since is never signalled.
pub fn stop(home: &Home) -> Result<bool, StartError> {
    let Some(state) = home.server() else {
        return Ok(false);
    };
    let pid = state.pid as libc::pid_t;
    // SAFETY: kill(2) with signal 0 only probes whether the process exists.
    if unsafe { libc::kill(pid, 0) } != 0 || !is_backend_of(home, &state) {
        let _ = std::fs::remove_file(home.state_file());
        return Ok(false);
    }
    // SAFETY: the pid was just shown to be this home's backend; SIGTERM asks it to finish
    // its requests and exit.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    // Gone once it has removed its state file on the way out, or once the process is gone
    // (a zombie still answers the probe, hence the file).
    let began = Instant::now();
    // SAFETY: probing only.
    while home.server().is_some_and(|s| s.pid == state.pid) && unsafe { libc::kill(pid, 0) } == 0 {
        if began.elapsed() > Duration::from_secs(10) {
            return Err(StartError::NotStopped(format!(
                "process {pid} is still running after 10 s"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_file(home.state_file());
    Ok(true)
}

/// Whether the process `state` names is this home's embedded backend.
fn is_backend_of(home: &Home, state: &ServerState) -> bool {
    if client_for(home, state).is_ok_and(|c| c.prove().is_ok()) {
        return true;
    }
    let Ok(raw) = std::fs::read(format!("/proc/{}/cmdline", state.pid)) else {
        return false;
    };
    let args: Vec<&[u8]> = raw.split(|&b| b == 0).collect();
    let home_arg = home.dir().as_os_str().as_encoded_bytes();
    args.contains(&&b"embedded"[..])
        && args
            .windows(2)
            .any(|w| w[0] == b"--home" && w[1] == home_arg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_state_round_trips_and_a_torn_file_is_no_server() {
        let dir = std::env::temp_dir().join(format!("collm-home-{}", std::process::id()));
        let home = Home::at(&dir);
        home.create().expect("create");
        assert_eq!(home.server(), None);
        let s = ServerState {
            url: "http://127.0.0.1:9".into(),
            pid: 7,
        };
        home.write_server(&s).expect("write");
        assert_eq!(home.server(), Some(s));
        std::fs::write(home.state_file(), "{\"url\": ").expect("torn");
        assert_eq!(home.server(), None);
        assert_eq!(
            home.db_url(),
            format!("sqlite:{}", dir.join("colliderml.db").display())
        );
        std::fs::remove_dir_all(dir).expect("clean");
    }
}
