//! The session's connection to the ColliderML backend, made on first use and shared by
//! `%simulate`, `%balance`, `%login` and `%logout`.
//!
//! With `COLLIDERML_BACKEND` set it is that service with the user's Hugging Face token (and a
//! "waking up" notice when it sleeps); otherwise the user's embedded backend, started if it is
//! not running. An embedded backend that went away (it exits when idle) is started again on the
//! next call, transparently.

use crate::context::MagicContext;
use crate::magic::MagicError;
use collm_client::embedded::Launcher;
use collm_client::{Client, ClientError, Service};
use std::sync::{Arc, Mutex, PoisonError};

/// A live client and the backend it talks to.
pub struct Connected {
    /// The client.
    pub client: Client,
    /// Which backend.
    pub service: Service,
}

/// The connection of a kernel session (cheap to clone; clones share it), and the request the
/// session dealt with last.
#[derive(Clone, Default)]
pub struct SessionService {
    connection: Arc<Mutex<Option<Arc<Connected>>>>,
    last: Arc<Mutex<Option<String>>>,
}

impl SessionService {
    /// Remembers the request a submission of this session returned (a cache hit included), so
    /// that `last` means it even when it is not the user's newest on the server.
    pub fn remember(&self, request_id: &str) {
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(request_id.to_owned());
    }

    /// The request remembered by [`remember`](Self::remember), if any.
    pub fn last(&self) -> Option<String> {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The connection, made now if this is the first call (or after [`reset`](Self::reset)).
    pub fn get(&self, ctx: &mut dyn MagicContext) -> Result<Arc<Connected>, MagicError> {
        self.connect(&mut |m| ctx.print(&format!("{m}\n")))
    }

    /// [`get`](Self::get) for callers without a cell (widget events): notices go to `notify`.
    pub fn connect(&self, notify: &mut dyn FnMut(&str)) -> Result<Arc<Connected>, MagicError> {
        let mut slot = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let service = Service::configured();
        let launcher = Launcher::this_collm()
            .map_err(|e| anyhow::anyhow!("cannot find the collm executable: {e}"))?;
        let client = service
            .connect(&launcher, notify)
            .map_err(|e| MagicError::Failed(e.into()))?;
        if let Service::Remote(_) = service {
            client.wake(notify).map_err(failed)?;
        }
        let c = Arc::new(Connected { client, service });
        *slot = Some(c.clone());
        Ok(c)
    }

    /// Forgets the connection, so the next call reconnects (after a login or logout changed
    /// the token, or when the embedded backend went away).
    pub fn reset(&self) {
        *self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Runs one call; if the embedded backend is no longer there (or another program answers
    /// at its address), starts it again and retries once.
    pub fn call<T>(
        &self,
        ctx: &mut dyn MagicContext,
        f: impl Fn(&Client) -> Result<T, ClientError>,
    ) -> Result<T, MagicError> {
        self.call_with(&mut |m| ctx.print(&format!("{m}\n")), f)
    }

    /// [`call`](Self::call) for callers without a cell: notices go to `notify`.
    pub fn call_with<T>(
        &self,
        notify: &mut dyn FnMut(&str),
        f: impl Fn(&Client) -> Result<T, ClientError>,
    ) -> Result<T, MagicError> {
        let c = self.connect(notify)?;
        match f(&c.client) {
            Err(ClientError::Unreachable { .. } | ClientError::NotTheBackend(_))
                if matches!(c.service, Service::Embedded(_)) =>
            {
                self.reset();
                let c = self.connect(notify)?;
                f(&c.client).map_err(failed)
            }
            other => other.map_err(failed),
        }
    }
}

/// A client error as a magic failure (its message already says what to do).
pub fn failed(e: ClientError) -> MagicError {
    MagicError::Failed(anyhow::Error::new(e))
}
