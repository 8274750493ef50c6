//! Which ColliderML backend the kernel talks to: the real service when `COLLIDERML_BACKEND`
//! names one, else the user's embedded backend.

use crate::embedded::{self, Home, Launcher, StartError};
use crate::http::Client;

/// The backend of this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    /// The local backend under this home, started on first use.
    Embedded(Home),
    /// A remote service at this base URL, with the user's Hugging Face token.
    Remote(String),
}

impl Service {
    /// `COLLIDERML_BACKEND` if set and not empty, else the embedded default.
    pub fn configured() -> Service {
        match std::env::var("COLLIDERML_BACKEND") {
            Ok(url) if !url.trim().is_empty() => Service::Remote(url.trim().to_owned()),
            _ => Service::Embedded(Home::default_location()),
        }
    }

    /// A client ready for calls; the embedded backend is started if it is not running.
    pub fn connect(
        &self,
        launcher: &Launcher,
        notify: &mut dyn FnMut(&str),
    ) -> Result<Client, StartError> {
        match self {
            Service::Embedded(home) => embedded::connect(home, launcher, notify),
            Service::Remote(url) => Ok(Client::new(url)),
        }
    }

    /// One line for the user: which backend, and where its outputs land.
    pub fn describe(&self) -> String {
        match self {
            Service::Embedded(home) => format!(
                "local ColliderML backend (embedded default; outputs in {})",
                home.outputs().display()
            ),
            Service::Remote(url) => format!("ColliderML service at {url} (COLLIDERML_BACKEND)"),
        }
    }
}
