//! The state a kernel session's magics share: the chosen models and the connection to the
//! simulation service (with the session's last request). The kernel owns it, through
//! [`Magics`], and hands it to the magics when it registers them.

use crate::collm_model::SessionModels;
use crate::registry::Registry;
use crate::sim::SessionService;

/// Shared session state; clones share it.
#[derive(Default, Clone)]
pub struct Session {
    /// The models chosen with `%collm_model` (or `COLLM_MODEL`).
    pub models: SessionModels,
    /// The simulation service and the session's last request.
    pub service: SessionService,
}

/// A session's magics: their table and the state they share.
#[derive(Clone)]
pub struct Magics {
    /// Every magic, by name.
    pub registry: Registry,
    /// The state they share.
    pub session: Session,
}

impl Magics {
    /// Every magic the kernel offers, over a fresh session.
    pub fn all() -> Magics {
        let session = Session::default();
        let mut registry = Registry::default();
        crate::register_all(&mut registry, &session);
        Magics { registry, session }
    }
}
