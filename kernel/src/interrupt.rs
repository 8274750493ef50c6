//! Interrupting whatever the kernel is running.
//!
//! A magic stops at its next cancellation check and the kernel keeps all its
//! state. Rust code cannot be stopped from outside its process, so a running
//! Rust cell's child process is killed; evcxr restarts it and the kernel
//! reports which variables were lost.

use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

/// Shared between the control task (which fires it) and the engine.
#[derive(Default)]
pub struct Interrupt {
    token: Mutex<CancellationToken>,
    child: Mutex<Option<Arc<Mutex<Child>>>>,
    running_rust: AtomicBool,
    fired: AtomicBool,
}

impl Interrupt {
    /// Starts a new cell: a fresh token, not yet fired.
    pub fn begin(&self) -> CancellationToken {
        self.fired.store(false, Ordering::SeqCst);
        let token = CancellationToken::new();
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = token.clone();
        token
    }

    /// The token of the running cell.
    pub fn token(&self) -> CancellationToken {
        self.token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Tells where evcxr's child process is, once evcxr has started.
    pub fn set_child(&self, child: Arc<Mutex<Child>>) {
        *self.child.lock().unwrap_or_else(PoisonError::into_inner) = Some(child);
    }

    /// Marks the span during which Rust code may be running in the child.
    pub fn set_running_rust(&self, running: bool) {
        self.running_rust.store(running, Ordering::SeqCst);
    }

    /// Whether the current cell was interrupted.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }

    /// Interrupts the running cell.
    pub fn fire(&self) {
        self.fired.store(true, Ordering::SeqCst);
        self.token().cancel();
        if self.running_rust.load(Ordering::SeqCst) {
            self.kill_child();
        }
    }

    /// Stops everything before the kernel exits: the running magic is cancelled and the
    /// child process, idle or not, is killed, so it cannot outlive the kernel.
    pub fn shut_down(&self) {
        self.fired.store(true, Ordering::SeqCst);
        self.token().cancel();
        self.kill_child();
    }

    fn kill_child(&self) {
        let child = self
            .child
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(child) = child {
            // If evcxr holds the lock it is already reaping or restarting the
            // child, so there is nothing left to kill.
            if let Ok(mut c) = child.try_lock() {
                let _ = c.kill();
            }
        }
    }
}
