//! The quick half of the collm interpreter: the answers the socket tasks give while a cell
//! may be running, which need nothing but the interrupt the interpreter shares.

use super::{Completeness, KernelInfo, QuickAnswers};
use crate::interrupt::Interrupt;
use std::sync::Arc;

/// The quick half of the collm interpreter: nothing but the interrupt it shares.
pub(super) struct CollmQuick {
    pub(super) interrupt: Arc<Interrupt>,
}

impl QuickAnswers for CollmQuick {
    fn is_complete(&self, code: &str) -> Completeness {
        crate::syntax::completeness(code)
    }

    fn kernel_info(&self) -> KernelInfo {
        let version = env!("CARGO_PKG_VERSION");
        KernelInfo {
            implementation: "collm",
            implementation_version: version,
            language: "rust",
            language_version: crate::toolchain::rustc_version().to_string(),
            banner: format!(
                "collm {version}: Rust cells run through evcxr. %lsmagic lists the magics; %name? shows help."
            ),
        }
    }

    fn interrupt(&self) {
        self.interrupt.fire();
    }

    fn shutdown(&self, _restart: bool) {
        self.interrupt.shut_down();
    }
}
