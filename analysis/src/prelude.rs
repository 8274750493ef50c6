//! One import for analysis cells: `use collm_analysis::prelude::*;` brings the types, the
//! kinematic methods (`pt()`, `delta_r()`, ...), the physics functions and the `lhco` module.

pub use crate::cutflow::Cutflow;
pub use crate::event::{Event, Kind, Object};
pub use crate::features::{CsvWriter, Features};
pub use crate::hist::Hist1D;
pub use crate::kinematics::{Kinematics, P4};
pub use crate::lhco::{self, Mode, ReadReport};
pub use crate::merge::Merge;
pub use crate::objects::{Objects, Pair, PairsExt};
pub use crate::output::{self, OutputError};
pub use crate::physics::{
    delta_eta, delta_phi, delta_phi_angles, delta_r, inv_mass, mass_of, mt, scalar_ht, wrap_phi,
    BTag, M_H, M_TOP, M_W, M_Z,
};
